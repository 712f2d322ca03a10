package import CommetSeats
package import Logging

/// What one run of seat-sync is set up with (a pass, the daemon, the seats commands): the config, and the Commet
/// client built from it and the API key.
package struct SyncSetup: Sendable {
    package let config: SeatSyncConfig
    package let client: CommetSeatsClient
    /// Where the API key was read (`file /etc/seat-sync/commet-api-key`), for errors about the key.
    package let keyOrigin: String

    /// A reconciler for this config and client.
    package func reconciler(logger: Logger) -> Reconciler {
        Reconciler(config: config, client: client, logger: logger, keyOrigin: keyOrigin)
    }

    /// Loads the config, then the API key (registered with `sink` so no line ever shows it), then the client.
    /// - Parameters:
    ///   - configPath: the config file.
    ///   - environment: the process environment, for overrides and the key.
    ///   - logger: for the key's warnings, and given to the client.
    ///   - sink: the log sink that must redact the key.
    /// - Throws: ``ConfigError``, the key's error or the client's ``CommetError``, each naming what is wrong.
    package static func open(
        configPath: String,
        environment: [String: String],
        logger: Logger,
        sink: LogSink
    ) throws -> SyncSetup {
        let config = try ConfigLoader.load(path: configPath, environment: environment)
        let key = try APIKeyLoader.load(config.commet, environment: environment)
        sink.redact(key.secret)
        for warning in key.warnings { logger.warning("\(warning)") }
        let client = try CommetSeatsClient(
            configuration: config.commet.clientConfiguration(apiKey: key.key),
            logger: logger
        )
        return SyncSetup(config: config, client: client, keyOrigin: key.origin)
    }
}
