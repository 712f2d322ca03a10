import ArgumentParser
import CommetSeats
import Foundation
import Logging
import SeatSources
import SeatSync

/// The `seat-sync` command: the daemon (the default), one-shot passes, config checks and the seats API by hand.
@main
struct SeatSyncCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "seat-sync",
        abstract: "Keep Commet seat balances equal to what your identity sources say.",
        // The default command's options, which ArgumentParser leaves out of the root's usage line. It indents the
        // second line itself.
        usage: """
            seat-sync [--config <path>] [--once [--dry-run] [--output <output>] [--allow-decrease]]
            seat-sync <subcommand>
            """,
        discussion: """
            Reads CSV, LDIF and JSON identity sources, works out the seats each customer should have, and corrects \
            Commet's balances with one idempotent setAll per customer.

            Without a subcommand, seat-sync runs `run`: the daemon, or one pass with --once. Try a pass with \
            `seat-sync --once --dry-run --config PATH`; `seat-sync run --help` explains every option of a pass.

            The Commet API key is never taken from the command line. It is read from \
            $CREDENTIALS_DIRECTORY/commet-api-key (systemd LoadCredential=), then commet.api_key_file \
            (or COMMET_API_KEY_FILE), then COMMET_API_KEY.

            Exit codes: 0 ok, 1 error (config, source, Commet), 64 usage; a --once pass also exits 2 when \
            --dry-run found changes to write and 3 when the guard holds changes (see `seat-sync run --help`).

            Examples:
              seat-sync --once --dry-run --config config/demo/seat-sync.yaml
              seat-sync --once --allow-decrease
              seat-sync check-config --config config/demo/seat-sync.yaml
              seat-sync check-config --output json
              seat-sync seats balances --customer acme
              seat-sync seats set-all --customer acme editor=3 viewer=10
              seat-sync seats add --customer acme --feature editor --count 2
            """,
        version: CommetSeats.version,
        subcommands: [
            RunCommand.self, CheckConfigCommand.self, HeldCommand.self, ApproveCommand.self, SeatsCommand.self,
            ExplainCommand.self,
        ],
        defaultSubcommand: RunCommand.self
    )

    /// ArgumentParser's `main`, with two steps added: the heap's mmap threshold is fixed first (see
    /// `FreedHeap.fixMappingThreshold()`), and the daemon catches its signals right after parsing, before anything
    /// else starts (see ``Daemon/catchSignals()``).
    static func main() async {
        FreedHeap.fixMappingThreshold()
        do {
            var command = try parseAsRoot(CommandLineSpelling.rewrite(Array(CommandLine.arguments.dropFirst())))
            if let run = command as? RunCommand, run.runsDaemon {
                Daemon.catchSignals()
            }
            if var asyncCommand = command as? any AsyncParsableCommand {
                try await asyncCommand.run()
            } else {
                try command.run()
            }
        } catch {
            // A usage error is an error in the journal too; exit(withError:) would print it without a priority.
            let code = exitCode(for: error)
            let message = fullMessage(for: error)
            guard code != .success, !message.isEmpty else { exit(withError: error) }
            LogSink.standardError(environment: ProcessInfo.processInfo.environment).write(line: message, level: .error)
            Foundation.exit(code.rawValue)
        }
    }
}
