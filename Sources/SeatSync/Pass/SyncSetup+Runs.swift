package import Logging

extension SyncSetup {
    /// One pass as `seat-sync --once` runs it. A pass that writes takes the instance lock first, so it never runs
    /// beside a daemon (or another one-shot run) on the same state; a dry run writes nothing and takes none.
    /// - Throws: ``InstanceLockError`` when the lock cannot be taken; nothing was read or written then.
    package func runOnce(_ options: PassOptions, logger: Logger) async throws(InstanceLockError) -> PassReport {
        let lock = options.dryRun ? nil : try InstanceLock(stateDirectory: config.stateDirectory)
        let report = await reconciler(logger: logger).runPass(options)
        withExtendedLifetime(lock) {}
        return report
    }

    /// The daemon for this setup; on SIGHUP it loads the config at `configPath`, its API key and a client again.
    /// - Parameters:
    ///   - configPath: the config file the setup was loaded from.
    ///   - environment: the process environment: overrides, the key, systemd's sockets.
    ///   - logger: receives the daemon's lines and every pass's.
    ///   - sink: the log sink, whose redaction also covers what is sent to systemd.
    package func daemon(configPath: String, environment: [String: String], logger: Logger, sink: LogSink) -> Daemon {
        Daemon(setup: self, environment: environment, logger: logger, sink: sink) {
            try SyncSetup.open(configPath: configPath, environment: environment, logger: logger, sink: sink)
        }
    }
}
