package import Foundation

/// What one pass did: the plan with each customer's outcome, the guard's verdict, and the figures to log.
package struct PassReport: Sendable {
    package var passID: String
    package var dryRun: Bool
    package var allowDecrease: Bool
    package var startedAt: Date
    package var duration: Duration
    package var plan: SeatPlan
    /// `nil` when the pass stopped before planning.
    package var verdict: GuardVerdict?
    /// The error that stopped the pass before any Commet call (a source that cannot be trusted).
    package var abortReason: String?
    /// Why `state.json` could not be saved, if it could not.
    package var stateError: String?
    /// Which customers the pass read and why, and how fresh the others are.
    package var reads = Reads()
    /// The id of the set of changes held after the pass (what `seat-sync held` lists), when any is held.
    package var heldSetID: String?

    /// How many customers a pass read, by reason, and the ones it left unread.
    package struct Reads: Sendable, Hashable {
        /// Whether every customer was read.
        package var full = true
        package var changed = 0
        package var due = 0
        package var slice = 0
        package var notRead = 0
        /// How long ago the least recently confirmed customer left unread was read.
        package var oldestConfirmed: TimeInterval?

        package init() {}

        init(_ selection: ReadSelection, at now: Date) {
            for (_, reason) in selection.read {
                switch reason {
                case .full: break
                case .changed: changed += 1
                case .due: due += 1
                case .slice: slice += 1
                }
            }
            full = selection.isFull
            notRead = selection.unread.count
            oldestConfirmed = selection.unread.values.map(\.confirmedAt).min().map { now.timeIntervalSince($0) }
        }
    }

    package var customersSeen: Int { plan.customers.count }
    /// Customers with nothing to write, nothing held, nothing pending and no failure.
    package var inSync: Int {
        plan.customers.count { !$0.isFailed && !$0.hasWrites && !$0.hasHeld && !$0.hasPending }
    }
    /// Customers written (or, on a dry run, to be written).
    package var changed: Int { plan.customers.count { $0.outcome.isWrite } }
    package var failed: Int { plan.customers.count(where: \.isFailed) }
    package var held: Int { plan.customers.count(where: \.hasHeld) }
    package var pending: Int { plan.customers.count(where: \.hasPending) }

    /// Seats of the held lines, as a positive number.
    package var seatsHeld: Int { lines(.held).reduce(0) { $0 + abs($1.delta) } }
    /// Seats of the pending lines, as a positive number.
    package var seatsPending: Int { lines(.pending).reduce(0) { $0 + abs($1.delta) } }

    /// How long the oldest held line has been held, in seconds; `nil` when nothing is held.
    package func oldestHoldAge(at now: Date) -> TimeInterval? { oldest(.held, at: now) }
    /// How long the oldest pending line has been pending, in seconds; `nil` when nothing is pending.
    package func oldestPendingAge(at now: Date) -> TimeInterval? { oldest(.pending, at: now) }

    private func lines(_ status: PlanLine.Status) -> [PlanLine] {
        plan.customers.flatMap { $0.lines.filter { $0.status == status } }
    }

    private func oldest(_ status: PlanLine.Status, at now: Date) -> TimeInterval? {
        lines(status).compactMap(\.since).min().map { max(0, now.timeIntervalSince($0)) }
    }
    /// Customers with a desired code that is not on their plan.
    package var warnings: Int { plan.customers.count { $0.lines.contains { $0.status == .notOnPlan } } }

    /// Seats added by the writes (on a dry run, by the planned writes), from Commet's `newBalance` where known.
    package var seatsAdded: Int { deltas.filter { $0 > 0 }.reduce(0, +) }
    /// Seats removed likewise, as a positive number.
    package var seatsRemoved: Int { -deltas.filter { $0 < 0 }.reduce(0, +) }

    private var deltas: [Int] {
        plan.customers.filter(\.outcome.isWrite).flatMap(\.lines).compactMap { line in
            guard line.isWrite, let current = line.current else { return nil }
            return (line.result ?? line.desired) - current
        }
    }

    package var exitCode: PassExitCode {
        if abortReason != nil || stateError != nil || failed > 0 { return .failure }
        if held > 0 { return .decreasesHeld }
        if dryRun && changed > 0 { return .changesPending }
        return .success
    }
}

extension CustomerPlan.Outcome {
    /// A write was made, or on a dry run would be.
    var isWrite: Bool {
        switch self {
        case .planned, .applied: return true
        case .noWrite, .failed: return false
        }
    }
}
