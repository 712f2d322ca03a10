/// One feature code of one customer in a plan: what Commet shows, what the sources want, and why.
public struct PlanLine: Sendable, Hashable {
    /// What the pass does with the line.
    public enum Status: String, Sendable, Hashable, CaseIterable {
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
        /// Commet accepted this exact change in the last pass but does not show it yet: not written again.
        case pending
        /// A decrease the guard held back.
        case held
    }

    public var feature: String
    /// The balance Commet reported, or `nil` when the code is not on the customer's plan.
    public var current: Int?
    /// The balance the sources call for (for a kept code, the current balance).
    public var desired: Int
    public var status: Status
    /// Why the line has this desired value and status, short enough for a table cell.
    public var reason: String
    /// The balance Commet answered with (`newBalance`) after the write, when one was made.
    public var result: Int?

    init(feature: String, current: Int?, desired: Int, status: Status, reason: String, result: Int? = nil) {
        self.feature = feature
        self.current = current
        self.desired = desired
        self.status = status
        self.reason = reason
        self.result = result
    }

    /// Seats gained (positive) or lost (negative) if the line were written; 0 for a code not on the plan.
    public var delta: Int {
        guard let current else { return 0 }
        return desired - current
    }

    /// Whether the line goes into this pass's `setAll`.
    public var isWrite: Bool { status == .increase || status == .decrease }

    /// Whether the line counts towards the customer's managed seats (the guard's denominator).
    var isManaged: Bool {
        switch status {
        case .increase, .decrease, .inSync, .pending, .held: return true
        case .kept, .notOnPlan: return false
        }
    }
}
