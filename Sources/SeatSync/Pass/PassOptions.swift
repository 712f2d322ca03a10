/// How one pass runs.
public struct PassOptions: Sendable, Hashable {
    /// Plan and report only: no write to Commet, no change to `state.json`.
    public var dryRun: Bool
    /// The operator approved decreases over the guard's limits (`--allow-decrease`).
    public var allowDecrease: Bool

    public init(dryRun: Bool = false, allowDecrease: Bool = false) {
        self.dryRun = dryRun
        self.allowDecrease = allowDecrease
    }
}
