import ArgumentParser
import Logging
import SeatSync

/// Ends a command the way the exit-code contract says: the error as one line on stderr, then exit code 1.
enum CommandFailure {
    static func report(_ error: any Error, sink: LogSink) -> ExitCode {
        sink.write(line: sink.redacting("error: \(error)"), level: .error)
        return ExitCode(1)
    }
}
