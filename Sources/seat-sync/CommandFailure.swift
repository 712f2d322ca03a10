import ArgumentParser
import Foundation
import SeatSync

/// Ends a command the way the exit-code contract says: the error as one line on stderr, then exit code 1.
enum CommandFailure {
    static func report(_ error: any Error, sink: LogSink? = nil) -> ExitCode {
        let line = "error: \(error)"
        FileHandle.standardError.write(Data(((sink?.redacting(line)) ?? line).utf8 + [UInt8(ascii: "\n")]))
        return ExitCode(1)
    }
}
