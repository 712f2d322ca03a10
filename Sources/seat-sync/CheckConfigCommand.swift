import ArgumentParser
import Foundation
import SeatSources
import SeatSync

/// `seat-sync check-config`: validate the config and read every source, without contacting Commet.
struct CheckConfigCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check-config",
        abstract: "Validate the config and read every source, without contacting Commet.",
        discussion: """
            Prints, per source, its customers, users and seats per feature code, then the desired seats of all \
            sources merged, which is what a pass would plan from. Also reads the API key, without sending it \
            anywhere, and says where it came from. Exits 0 when everything is valid, 1 with the error otherwise: \
            a key that cannot be found or read is an error, unless --no-api-key says only the config and the \
            sources are to be checked. A source with \
            `command:` is read by running its command, as a pass runs it (same folder, environment, timeout and \
            max_output).

            With --for-reload, checks what a running daemon checks when it reloads (the config, the API key, the \
            Commet client), reads no source and prints nothing when all is well: the unit's ExecReload= runs it \
            before sending SIGHUP, so `systemctl reload` fails with the error instead of the daemon refusing it.

            Examples:
              seat-sync check-config --config /etc/seat-sync/seat-sync.yaml
              seat-sync check-config --no-api-key --config config/demo/seat-sync.yaml
              seat-sync check-config --output json | jq .desired
              seat-sync check-config --for-reload --config /etc/seat-sync/seat-sync.yaml
            """
    )

    @OptionGroup var global: GlobalOptions

    @Option(name: .long, help: "Tables for people, or JSON for scripts (docs/check-config-json.md).")
    var output: OutputFormat = .text

    @Flag(name: .customLong("no-api-key"), help: "Check the config and the sources only; do not look for the API key.")
    var noAPIKey = false

    @Flag(name: .long, help: "Check only what a daemon's reload checks (config, API key, client); print nothing.")
    var forReload = false

    func validate() throws {
        guard !forReload || output == .text else { throw ValidationError("--for-reload prints nothing: drop --output") }
    }

    func run() throws {
        let (logger, sink) = LogBootstrap.start(global)
        if forReload {
            // The one loader the daemon's reload runs too, so this check and the daemon cannot disagree.
            _ = try SyncSetup.open(global, logger: logger, sink: sink)
            return
        }
        let environment = ProcessInfo.processInfo.environment
        let config: SeatSyncConfig
        do {
            config = try global.loadConfig(environment: environment)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
        // The key is registered for redaction before the sources are read (a command source's stderr, shown in
        // its error, could hold it); an unusable key is reported after them, so a broken source is named first.
        var apiKey = APIKeyStatus.notChecked
        var keyProblem: ConfigError?
        if !noAPIKey {
            do {
                let loaded = try APIKeyLoader.load(config.commet, environment: environment)
                sink.redact(loaded.secret)
                apiKey = .found(origin: loaded.origin, warnings: loaded.warnings)
            } catch {
                keyProblem = error
            }
        }
        let check: ConfigCheck
        do {
            check = try ConfigCheck.run(config)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
        if let keyProblem { throw CommandFailure.report(UnusableAPIKey(problem: keyProblem), sink: sink) }
        let renderer = ConfigCheckRenderer(check: check, apiKey: apiKey, featureOrder: config.merge.rolePrecedence)
        print(output == .json ? renderer.json() : renderer.text(), terminator: "")
        // The process ends here, the check still held: freeing every user of every source one object at a time took
        // 2 to 11 ms more than the kernel takes to drop the whole address space (1.5 to 3% of check-config over
        // the benchmark's files). `exit` flushes standard output; the log sink writes each line as it comes.
        withExtendedLifetime(check) { Foundation.exit(0) }
    }
}

/// A key `check-config` could not find or read: the config is not ready for a pass, so the check fails.
private struct UnusableAPIKey: Error, CustomStringConvertible {
    var problem: ConfigError

    var description: String { "\(problem) (--no-api-key checks the config and the sources alone)" }
}
