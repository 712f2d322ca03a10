import ArgumentParser
import Foundation
import SeatSync

/// `seat-sync [run]`: the default command: the daemon, or with `--once` one pass.
struct RunCommand: AsyncParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "run",
        abstract: "Reconcile Commet seat balances with the sources (the default command).",
        discussion: """
            Without --once, runs as a daemon: a pass at start, then one every schedule.interval (plus jitter) \
            after the previous one ended, and one schedule.debounce after a source file is replaced; never two \
            at once. SIGHUP reloads the config (an invalid one is refused and the old one kept), SIGTERM or \
            SIGINT lets the pass in flight finish (at most schedule.stop_grace) and exits 0. Under systemd \
            (Type=notify) it reports READY, STATUS, RELOADING, STOPPING and pings the watchdog. A lock in \
            state_dir keeps a second daemon, or a --once run that writes, from running alongside it.

            With --once, runs one pass: reads every source, reads each customer's balances, plans, holds \
            changes over the guard's limits (and every change held before), writes one setAll per customer that \
            needs it, and prints the plan on stdout (logs go to stderr). Try it with --dry-run first: nothing is \
            written to Commet or to the state folder.

            Exit codes of a --once run: 0 in sync or applied, 1 errors (config, source, a customer's read or \
            write, the state file), 2 changes to write (--dry-run), 3 changes held by the guard \
            (review them with seat-sync held; apply exactly that set with --allow-decrease=ID). 1 wins over 3, \
            3 over 2.

            Examples:
              seat-sync --once --dry-run --config /etc/seat-sync/seat-sync.yaml
              seat-sync --once --dry-run --output json | jq '.customers[] | select(.outcome == "planned")'
              seat-sync --once
              seat-sync held
              seat-sync --once --allow-decrease=3f2a9c1d0b7e4a56
              seat-sync --config /etc/seat-sync/seat-sync.yaml
            """
    )

    @OptionGroup var global: GlobalOptions

    @Flag(name: .long, help: "Run one pass and exit.")
    var once = false

    @Flag(name: .long, help: "Plan only: write nothing to Commet or to the state folder.")
    var dryRun = false

    @Option(name: .long, help: "The plan as tables for people, or JSON for scripts (docs/plan-json.md).")
    var output: OutputFormat = .text

    @Flag(
        name: .long,
        help: """
            Apply every decrease, even over the guard's limits. --allow-decrease=ID instead applies exactly the \
            held set ID (seat-sync held), if it is still the set held.
            """
    )
    var allowDecrease = false

    /// `--allow-decrease=ID`, which ``CommandLineSpelling`` turns into this option before parsing.
    @Option(name: .customLong(CommandLineSpelling.approvedSetOption), help: .hidden)
    var approvedSet: String?

    @Flag(name: .long, help: "Apply every increase, even over the guard's limits.")
    var allowIncrease = false

    @Flag(
        name: .long,
        help: """
            Read only the customers whose sources changed, those with a failed, held, pending or approved line, \
            and their turn of the rest, as the daemon's passes do (a full pass when the state cannot be trusted).
            """
    )
    var changedOnly = false

    /// Whether this run is the daemon rather than one pass.
    var runsDaemon: Bool { !once }

    func validate() throws {
        guard
            once
                || (!dryRun && !allowDecrease && !allowIncrease && !changedOnly && approvedSet == nil
                    && output == .text)
        else {
            throw ValidationError(
                "--dry-run, --allow-decrease, --allow-increase, --changed-only and --output only apply to one pass: "
                    + "add --once; "
                    + "to approve held changes under the running daemon use seat-sync approve ID"
            )
        }
        guard !(allowDecrease && approvedSet != nil) else {
            throw ValidationError("give --allow-decrease or --allow-decrease=ID, not both")
        }
    }

    func run() async throws {
        let (logger, sink) = LogBootstrap.start(global)
        let setup = try SyncSetup.open(global, logger: logger, sink: sink)
        guard once else {
            let environment = ProcessInfo.processInfo.environment
            let daemon = setup.daemon(
                configPath: global.configPath(environment: environment),
                environment: environment,
                logger: logger,
                sink: sink
            )
            let status = await daemon.run()
            if status != 0 { throw ExitCode(status) }
            return
        }
        let options = PassOptions(
            dryRun: dryRun,
            allowDecrease: allowDecrease,
            allowIncrease: allowIncrease,
            approvedSet: approvedSet,
            scope: changedOnly ? .incremental(slice: true) : .full
        )
        let report: PassReport
        do {
            report = try await setup.runOnce(options, logger: logger)
        } catch {
            throw CommandFailure.report(error, sink: sink)
        }
        let rendered = output == .json ? PlanRenderer.json(report) : PlanRenderer.text(report)
        print(sink.redacting(rendered), terminator: "")
        if report.exitCode != .success { throw ExitCode(report.exitCode.rawValue) }
    }
}
