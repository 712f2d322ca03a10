import CommetSeats
import Foundation
import Logging
import SeatSync

/// What every command that talks to Commet starts from: the config, and the client built from it and the API key.
struct CommetSession {
    let config: SeatSyncConfig
    let client: CommetSeatsClient

    /// Loads the config, then the API key (registered with `sink` so no line ever shows it), then the client.
    /// - Throws: the config, key or client error, reported on stderr as the exit-code contract says.
    static func open(_ global: GlobalOptions, logger: Logger, sink: LogSink) throws -> CommetSession {
        let environment = ProcessInfo.processInfo.environment
        do {
            let config = try ConfigLoader.load(
                path: global.configPath(environment: environment),
                environment: environment
            )
            let key = try APIKeyLoader.load(config.commet, environment: environment)
            sink.redact(key.secret)
            for warning in key.warnings { logger.warning("\(warning)") }
            let client = try CommetSeatsClient(
                configuration: config.commet.clientConfiguration(apiKey: key.key),
                logger: logger
            )
            return CommetSession(config: config, client: client)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
    }
}
