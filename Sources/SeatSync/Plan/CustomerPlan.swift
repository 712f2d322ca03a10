/// What a pass does for one customer: its lines, and what came of them.
package struct CustomerPlan: Sendable, Hashable {
    /// How the customer's part of the pass ended.
    package enum Outcome: Sendable, Hashable {
        /// Nothing to write: in sync, or only held, pending or not-on-plan lines.
        case noWrite
        /// A dry run: the write was planned, not sent.
        case planned
        /// Commet accepted the write.
        case applied(requestID: String?, idempotencyKey: String)
        /// Reading the balances or writing failed; the customer is skipped until the next pass.
        case failed(Failure)
    }

    /// Why a customer failed, as one log-ready line plus Commet's request id.
    package struct Failure: Sendable, Hashable {
        /// Which request failed.
        package enum Stage: String, Sendable, Hashable {
            /// `getAllBalances`.
            case read
            /// `setAll`.
            case write
        }

        package var stage: Stage
        package var message: String
        package var requestID: String?

        init(stage: Stage, message: String, requestID: String? = nil) {
            self.stage = stage
            self.message = message
            self.requestID = requestID
        }
    }

    package var customer: String
    /// The balances `getAllBalances` reported, by feature code; the idempotency key is derived from them.
    package var observed: [String: Int]
    /// One line per feature code, sorted by code.
    package var lines: [PlanLine]
    package var outcome: Outcome
    /// Commet's own id for the customer (`cus_...`), when its answer to a write named the customer by it.
    package var commetID: String?

    init(customer: String, observed: [String: Int], lines: [PlanLine], outcome: Outcome = .noWrite) {
        self.customer = customer
        self.observed = observed
        self.lines = lines
        self.outcome = outcome
    }

    /// A customer whose balances could not be read: no lines, nothing written.
    static func unreadable(_ customer: String, failure: Failure) -> CustomerPlan {
        CustomerPlan(customer: customer, observed: [:], lines: [], outcome: .failed(failure))
    }

    /// The `setAll` payload: every line to write, at its desired count.
    package var writes: [String: Int] {
        var seats: [String: Int] = [:]
        for line in lines where line.isWrite { seats[line.feature] = line.desired }
        return seats
    }

    package var hasWrites: Bool { lines.contains(where: \.isWrite) }
    package var hasHeld: Bool { lines.contains { $0.status == .held } }
    package var hasPending: Bool { lines.contains { $0.status == .pending } }

    package var isFailed: Bool {
        if case .failed = outcome { return true }
        return false
    }

    /// Seats the customer's decreases remove (a positive number).
    var seatsRemoved: Int {
        lines.filter { $0.status == .decrease || $0.status == .resent }.reduce(0) { $0 - $1.delta }
    }

    /// Managed seats before the pass, the base of the guard's per-customer fraction.
    var managedSeats: Int { lines.filter(\.isManaged).reduce(0) { $0 + ($1.current ?? 0) } }

    /// Managed seats once the plan's writes are applied.
    var managedSeatsAfter: Int {
        lines.filter(\.isManaged).reduce(0) { $0 + ($1.isWrite ? $1.desired : ($1.current ?? 0)) }
    }
}
