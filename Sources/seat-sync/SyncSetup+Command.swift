import Foundation
import Logging
import SeatSync

extension SyncSetup {
    /// Opens the setup a command's options name.
    /// - Throws: the config, key or client error, reported on stderr as the exit-code contract says.
    static func open(_ global: GlobalOptions, logger: Logger, sink: LogSink) throws -> SyncSetup {
        let environment = ProcessInfo.processInfo.environment
        do {
            return try open(
                configPath: global.configPath(environment: environment),
                environment: environment,
                logger: logger,
                sink: sink
            )
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
    }
}
