package import Foundation

/// One feature code of one customer in a plan: what Commet shows, what the sources want, and why.
package struct PlanLine: Sendable, Hashable {
    /// What the pass does with the line.
    package enum Status: String, Sendable, Hashable, CaseIterable {
        /// Desired is above the balance: written.
        case increase
        /// Desired is below the balance: written unless the guard holds it.
        case decrease
        /// Balance and desired agree: nothing to write.
        case inSync = "in_sync"
        /// Commet reports the code but no source mentions it, and `absent_features` is `keep`.
        case kept
        /// A source wants seats of a code that is not on the customer's plan: left out of the write.
        case notOnPlan = "not_on_plan"
        /// A decrease Commet accepted in an earlier pass but does not show yet (it applies removals at the end of
        /// the billing period): not written again until `policy.pending_timeout`.
        case pending
        /// A pending decrease past `policy.pending_timeout`: sent once more, as it was decided before.
        case resent
        /// A change the guard holds until an operator approves it.
        case held
    }

    package var feature: String
    /// The balance Commet reported, or `nil` when the code is not on the customer's plan.
    package var current: Int?
    /// The balance the sources call for (for a kept code, the current balance).
    package var desired: Int
    package var status: Status
    /// Why the line has this desired value and status, short enough for a table cell.
    package var reason: String
    /// The balance Commet answered with (`newBalance`) after the write, when one was made.
    package var result: Int?
    /// Since when a held line is held, or a pending (or resent) line has been pending.
    package var since: Date?

    /// Seats gained (positive) or lost (negative) if the line were written; 0 for a code not on the plan.
    package var delta: Int {
        guard let current else { return 0 }
        return desired - current
    }

    /// Whether the line goes into this pass's `setAll`.
    package var isWrite: Bool { status == .increase || status == .decrease || status == .resent }

    /// Whether the line counts towards the customer's managed seats (the guard's denominator).
    var isManaged: Bool {
        switch status {
        case .increase, .decrease, .inSync, .pending, .resent, .held: return true
        case .kept, .notOnPlan: return false
        }
    }
}
