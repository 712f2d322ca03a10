import Foundation

/// Looks at a whole plan before anything is applied and holds the changes that go over the limits.
///
/// A hold is a decision, not a reading of this pass's totals: a change held before stays held on every later
/// pass while the sources want exactly it, until an operator approves it. Only changes not decided yet are
/// measured against the limits. Pure: the caller logs the verdict and saves the holds.
enum SeatGuard {
    /// The guarded plan, the verdict, and the holds to keep for the next pass.
    struct Outcome: Sendable, Hashable {
        var plan: SeatPlan
        var verdict: GuardVerdict
        var holds: [HeldChange]
    }

    /// Checks `plan` against `limits`.
    /// - Parameters:
    ///   - plan: the planner's output, for the customers whose balances were read.
    ///   - limits: the configured guard limits.
    ///   - holds: the holds the last pass left.
    ///   - approval: what the operator approved for this pass.
    ///   - unread: customers whose balances were not read (failed, or left for a later pass); their holds are
    ///     kept as they are.
    ///   - unreadManagedSeats: the managed seats of customers not read, as their last read confirmed: the
    ///     fractions are of the whole fleet, not of the part read.
    ///   - now: the time a new hold is stamped with.
    static func check(
        _ plan: SeatPlan,
        limits: GuardLimits,
        holds: [HeldChange] = [],
        approval: GuardApproval = .none,
        unread: Set<String> = [],
        unreadManagedSeats: Int = 0,
        now: Date = Date()
    ) -> Outcome {
        var previous: [LineKey: HeldChange] = [:]
        for hold in holds { previous[LineKey(hold.customer, hold.feature)] = hold }

        var guarded = plan
        var approved: [HeldChange] = []
        var stillHeld: [HeldChange] = []
        var undecided: [LinePosition] = []
        for c in guarded.customers.indices where !guarded.customers[c].isFailed {
            for l in guarded.customers[c].lines.indices {
                guard let change = guarded.customers[c].change(at: l, now: now) else { continue }
                let held = previous[LineKey(change.customer, change.feature)].flatMap {
                    $0.isSameChange(as: change) ? $0 : nil
                }
                if approval.changes.contains(where: { $0.isSameChange(as: change) }) {
                    approved.append(change)
                    guarded.customers[c].lines[l].reason =
                        "approved by an operator; " + guarded.customers[c].lines[l].reason
                } else if held != nil, approval.covers(change) {
                    approved.append(change)
                } else if let held {
                    stillHeld.append(held)
                    guarded.customers[c].hold(line: l, since: held.heldSince)
                } else {
                    undecided.append(LinePosition(customer: c, line: l, isDecrease: change.isDecrease))
                }
            }
        }

        let managed = guarded.customers.reduce(unreadManagedSeats) { $0 + $1.managedSeats }
        let measure = Measure(plan: guarded, undecided: undecided)
        var violations: [GuardViolation] = []
        var heldPositions: [LinePosition] = []
        var approvedPositions: [LinePosition] = []

        if measure.removed > 0, Double(measure.removed) > limits.maxRemovedFraction * Double(managed) {
            violations.append(
                .removedFraction(removed: measure.removed, managed: managed, limit: limits.maxRemovedFraction)
            )
        }
        if measure.removed > limits.maxRemovedSeats {
            violations.append(.removedSeats(removed: measure.removed, limit: limits.maxRemovedSeats))
        }
        for (c, lost) in measure.removedByCustomer.sorted(by: { $0.key < $1.key }) {
            let before = guarded.customers[c].managedSeats
            if Double(lost) > limits.maxCustomerRemovedFraction * Double(before) {
                let customer = guarded.customers[c].customer
                violations.append(
                    .customerRemovedFraction(
                        customer: customer,
                        removed: lost,
                        managed: before,
                        limit: limits.maxCustomerRemovedFraction
                    )
                )
            }
        }
        if !violations.isEmpty {
            if approval.allDecreases {
                approvedPositions += undecided.filter(\.isDecrease)
            } else {
                heldPositions += undecided.filter(\.isDecrease)
            }
        }

        var increaseViolations: [GuardViolation] = []
        var customersOverIncrease: Set<Int> = []
        if measure.added > limits.maxAddedSeats {
            increaseViolations.append(.addedSeats(added: measure.added, limit: limits.maxAddedSeats))
        }
        for (c, gained) in measure.addedByCustomer.sorted(by: { $0.key < $1.key }) {
            let before = guarded.customers[c].managedSeats
            if Double(gained) > limits.maxCustomerAddedFraction * Double(before), gained > limits.maxCustomerAddedSeats
            {
                customersOverIncrease.insert(c)
                increaseViolations.append(
                    .customerAdded(
                        customer: guarded.customers[c].customer,
                        added: gained,
                        managed: before,
                        fraction: limits.maxCustomerAddedFraction,
                        seats: limits.maxCustomerAddedSeats
                    )
                )
            }
        }
        let increases = undecided.filter { !$0.isDecrease }
        let overIncrease =
            measure.added > limits.maxAddedSeats
            ? increases : increases.filter { customersOverIncrease.contains($0.customer) }
        if approval.allIncreases {
            approvedPositions += overIncrease
        } else {
            heldPositions += overIncrease
        }
        violations += increaseViolations
        for position in approvedPositions {
            if let change = guarded.customers[position.customer].change(at: position.line, now: now) {
                approved.append(change)
            }
        }

        var newlyHeld: [HeldChange] = []
        for position in heldPositions {
            guard let change = guarded.customers[position.customer].change(at: position.line, now: now) else {
                continue
            }
            newlyHeld.append(change)
            guarded.customers[position.customer].hold(line: position.line, since: now)
        }

        let toZero = plan.customers.filter { $0.seatsRemoved > 0 && $0.managedSeatsAfter == 0 }.map(\.customer)
        let verdict = GuardVerdict(
            managedSeats: managed,
            seatsRemoved: measure.removed,
            seatsAdded: measure.added,
            customersToZero: toZero,
            violations: violations,
            newlyHeld: newlyHeld.sorted(),
            stillHeld: stillHeld.sorted(),
            approved: approved.sorted()
        )
        let kept = holds.filter { unread.contains($0.customer) }
        return Outcome(plan: guarded, verdict: verdict, holds: (kept + stillHeld + newlyHeld).sorted())
    }
}

/// Where one undecided change sits in the plan.
private struct LinePosition {
    var customer: Int
    var line: Int
    var isDecrease: Bool
}

private struct LineKey: Hashable {
    var customer: String
    var feature: String

    init(_ customer: String, _ feature: String) {
        self.customer = customer
        self.feature = feature
    }
}

/// The seats the undecided changes add and remove, in all and per customer.
private struct Measure {
    var removed = 0
    var added = 0
    var removedByCustomer: [Int: Int] = [:]
    var addedByCustomer: [Int: Int] = [:]

    init(plan: SeatPlan, undecided: [LinePosition]) {
        for position in undecided {
            let delta = plan.customers[position.customer].lines[position.line].delta
            if delta < 0 {
                removed += -delta
                removedByCustomer[position.customer, default: 0] += -delta
            } else {
                added += delta
                addedByCustomer[position.customer, default: 0] += delta
            }
        }
    }
}

extension CustomerPlan {
    /// The change a written line makes, or `nil` for a line that writes nothing (or a pending one sent again).
    fileprivate func change(at index: Int, now: Date) -> HeldChange? {
        let line = lines[index]
        guard line.status == .increase || line.status == .decrease, let current = line.current else { return nil }
        return HeldChange(customer: customer, feature: line.feature, from: current, to: line.desired, heldSince: now)
    }

    /// Marks a line held, keeping why it was wanted.
    fileprivate mutating func hold(line index: Int, since: Date) {
        lines[index].status = .held
        lines[index].since = since
        lines[index].reason = "held by the guard; " + lines[index].reason
    }
}
