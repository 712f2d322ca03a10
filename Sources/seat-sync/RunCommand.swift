import ArgumentParser
import Foundation
import SeatSync

/// `seat-sync [run]`: the default command. `--once` runs one pass; the daemon loop comes later.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Reconcile Commet seat balances with the sources (the default command).",
        discussion: """
            With --once, runs one pass: reads every source, reads each customer's balances, plans, holds \
            decreases over the guard's limits, writes one setAll per customer that needs it, and prints the \
            plan on stdout (logs go to stderr). Try it with --dry-run first: nothing is written to Commet or \
            to the state folder.

            Exit codes of a --once run: 0 in sync or applied, 1 errors (config, source, a customer's read or \
            write, the state file), 2 changes to write (--dry-run), 3 decreases held by the guard \
            (re-run with --allow-decrease to apply them). 1 wins over 3, 3 over 2.

            Examples:
              seat-sync --once --dry-run --config /etc/seat-sync/seat-sync.yaml
              seat-sync --once --dry-run --output json | jq '.customers[] | select(.outcome == "planned")'
              seat-sync --once
              seat-sync --once --allow-decrease
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Run one pass and exit.")
    var once = false

    @Flag(name: .long, help: "Plan only: write nothing to Commet or to the state folder.")
    var dryRun = false

    @Option(name: .long, help: "The plan as tables for people, or JSON for scripts (docs/plan-json.md).")
    var output: OutputFormat = .text

    @Flag(name: .long, help: "Apply decreases even when they go over the guard's limits.")
    var allowDecrease = false

    func run() async throws {
        let (logger, sink) = LogBootstrap.start(global)
        guard once else {
            FileHandle.standardError.write(Data("daemon mode is not built yet; run seat-sync --once\n".utf8))
            throw ExitCode(1)
        }
        let session = try CommetSession.open(global, logger: logger, sink: sink)
        // A pass that writes takes the daemon's lock, so it never runs alongside a daemon on the same state.
        var lock: InstanceLock?
        if !dryRun {
            do {
                lock = try InstanceLock(stateDirectory: session.config.stateDirectory)
            } catch {
                throw CommandFailure.report(error, sink: sink)
            }
        }
        let reconciler = Reconciler(config: session.config, client: session.client, logger: logger)
        let report = await reconciler.runPass(PassOptions(dryRun: dryRun, allowDecrease: allowDecrease))
        withExtendedLifetime(lock) {}
        let rendered = output == .json ? PlanRenderer.json(report) : PlanRenderer.text(report)
        print(sink.redacting(rendered), terminator: "")
        if report.exitCode != .success { throw ExitCode(report.exitCode.rawValue) }
    }
}
