/// What an operator approved for one pass.
package struct GuardApproval: Sendable, Hashable {
    /// `--allow-decrease`: every decrease the pass finds, held before or not.
    package var allDecreases: Bool
    /// `--allow-increase`: every increase the pass finds.
    package var allIncreases: Bool
    /// Reviewed changes (`seat-sync approve ID`, `--allow-decrease=ID`): each is applied when the plan has
    /// exactly it (same customer, code, from and to), whatever the limits say.
    package var changes: [HeldChange]

    package init(allDecreases: Bool = false, allIncreases: Bool = false, changes: [HeldChange] = []) {
        self.allDecreases = allDecreases
        self.allIncreases = allIncreases
        self.changes = changes
    }

    /// Nothing approved: the guard decides alone.
    package static let none = GuardApproval()

    func covers(_ change: HeldChange) -> Bool {
        if change.isDecrease ? allDecreases : allIncreases { return true }
        return changes.contains { $0.isSameChange(as: change) }
    }
}
