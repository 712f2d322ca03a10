/// How one pass runs.
package struct PassOptions: Sendable, Hashable {
    /// Who runs the pass, which decides how its holds are approved (the log line says so).
    package enum Runner: Sendable, Hashable {
        /// `seat-sync --once`.
        case once
        /// The daemon: approvals arrive as files from `seat-sync approve` while it runs.
        case daemon
    }

    /// Plan and report only: no write to Commet, no change to the state folder.
    package var dryRun: Bool
    /// `--allow-decrease`: apply every decrease, even over the guard's limits.
    package var allowDecrease: Bool
    /// `--allow-increase`: apply every increase, even over the guard's limits.
    package var allowIncrease: Bool
    /// `--allow-decrease=ID`: apply exactly the held set with this id (`seat-sync held`), if it is still the set
    /// held and the sources still want it.
    package var approvedSet: String?
    package var runner: Runner
    /// Which customers the pass reads.
    package var scope: Scope

    /// Which customers a pass reads.
    package enum Scope: Sendable, Hashable {
        /// Every customer: `--once`, and whenever what earlier passes confirmed cannot be trusted.
        case full
        /// What changed and what has unfinished business, plus, with `slice`, a rotating share of the rest so
        /// that every customer is read at least once per `schedule.full_resync`.
        case incremental(slice: Bool)
    }

    package init(
        dryRun: Bool = false,
        allowDecrease: Bool = false,
        allowIncrease: Bool = false,
        approvedSet: String? = nil,
        runner: Runner = .once,
        scope: Scope = .full
    ) {
        self.dryRun = dryRun
        self.allowDecrease = allowDecrease
        self.allowIncrease = allowIncrease
        self.approvedSet = approvedSet
        self.runner = runner
        self.scope = scope
    }

    /// What the operator does to approve held changes, for the guard's log line.
    func approvalHint(setID: String) -> String {
        // A dry run records no hold, so the id it would give is not one `approve` knows yet.
        guard !dryRun else {
            return "a dry run records nothing: a pass that writes holds these and records the set to approve "
                + "(seat-sync held)"
        }
        switch runner {
        case .once:
            return "held on every pass until approved: review with seat-sync held, then "
                + "seat-sync --once --allow-decrease=\(setID) (or seat-sync approve \(setID))"
        case .daemon:
            return "held on every pass until approved: review with seat-sync held, then seat-sync approve \(setID); "
                + "the running daemon applies it within schedule.debounce"
        }
    }
}
