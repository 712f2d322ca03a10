/// How one pass runs.
public struct PassOptions: Sendable, Hashable {
    /// Plan and report only: no write to Commet, no change to `state.json`.
    public var dryRun: Bool
    /// The operator approved decreases over the guard's limits (`--allow-decrease`).
    public var allowDecrease: Bool
    /// What the operator does to approve held decreases, for the guard's log line: a one-shot run and the
    /// daemon (which holds the instance lock) are approved differently.
    public var approval: String

    /// How a one-shot run's held decreases are approved.
    public static let onceApproval = "re-run with seat-sync --once --allow-decrease to apply"
    /// How the daemon's held decreases are approved: its lock keeps a one-shot run out while it runs.
    public static let daemonApproval =
        "held on every pass until approved: stop the service, run seat-sync --once --allow-decrease, "
        + "start it again (docs/service.md, Held decreases)"

    public init(dryRun: Bool = false, allowDecrease: Bool = false, approval: String = PassOptions.onceApproval) {
        self.dryRun = dryRun
        self.allowDecrease = allowDecrease
        self.approval = approval
    }
}
