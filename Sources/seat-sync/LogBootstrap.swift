import Foundation
import Logging
import SeatSync

/// Sets up swift-log once per process: every logger writes lines through one stderr sink, which also redacts
/// the API key once it is known, and prefixes each line's priority when stderr is systemd's journal.
enum LogBootstrap {
    /// - Returns: the logger for the command and the sink, to register secrets with.
    static func start(_ options: GlobalOptions) -> (Logger, LogSink) {
        let sink = LogSink.standardError(environment: ProcessInfo.processInfo.environment)
        let format = options.logFormat
        let level = options.logLevel
        LoggingSystem.bootstrap { _ in LogLineHandler(format: format, level: level, sink: sink) }
        return (Logger(label: "seat-sync"), sink)
    }
}
