import ArgumentParser
import Foundation
import Logging
import SeatSync

/// The options every subcommand shares: which config, and how to log.
struct GlobalOptions: ParsableArguments {
    static let defaultConfigPath = "/etc/seat-sync/seat-sync.yaml"

    @Option(
        name: .long,
        help: ArgumentHelp(
            "The config file (default: $SEAT_SYNC_CONFIG, else \(defaultConfigPath)).",
            valueName: "path"
        )
    )
    var config: String?

    @Option(name: .long, help: "Log line format on stderr.")
    var logFormat: LogFormat = .logfmt

    @Option(name: .long, help: "Lowest level logged.")
    var logLevel: Logger.Level = .info

    /// Loads the config that ``configPath(environment:)`` names, with the environment's overrides.
    func loadConfig(environment: [String: String]) throws(ConfigError) -> SeatSyncConfig {
        try ConfigLoader.load(path: configPath(environment: environment), environment: environment)
    }

    /// `--config`, else `SEAT_SYNC_CONFIG`, else the packaged default.
    func configPath(environment: [String: String]) -> String {
        if let config { return config }
        if let fromEnvironment = environment["SEAT_SYNC_CONFIG"], !fromEnvironment.isEmpty { return fromEnvironment }
        return Self.defaultConfigPath
    }
}
