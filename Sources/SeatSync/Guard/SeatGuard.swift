/// Looks at a whole plan before anything is applied and holds its decreases when they go over the limits.
///
/// Pure: the caller logs the verdict. Increases always go through, since a missing seat locks a user out
/// while an extra one only costs until the next approved pass.
enum SeatGuard {
    /// Checks `plan` against `limits`.
    /// - Parameters:
    ///   - plan: the planner's output.
    ///   - limits: the configured guard limits.
    ///   - allowDecrease: the operator approved the decreases (`--allow-decrease`).
    /// - Returns: the plan with every decrease marked held when the verdict holds, and the verdict.
    static func check(_ plan: SeatPlan, limits: GuardLimits, allowDecrease: Bool) -> (SeatPlan, GuardVerdict) {
        let managed = plan.customers.reduce(0) { $0 + $1.managedSeats }
        let removed = plan.seatsRemoved
        var violations: [GuardViolation] = []
        if removed > 0, Double(removed) > limits.maxRemovedFraction * Double(managed) {
            violations.append(.removedFraction(removed: removed, managed: managed, limit: limits.maxRemovedFraction))
        }
        if removed > limits.maxRemovedSeats {
            violations.append(.removedSeats(removed: removed, limit: limits.maxRemovedSeats))
        }
        var toZero: [String] = []
        for customer in plan.customers {
            let lost = customer.seatsRemoved
            guard lost > 0 else { continue }
            let before = customer.managedSeats
            if customer.managedSeatsAfter == 0 { toZero.append(customer.customer) }
            if Double(lost) > limits.maxCustomerRemovedFraction * Double(before) {
                let violation = GuardViolation.customerRemovedFraction(
                    customer: customer.customer,
                    removed: lost,
                    managed: before,
                    limit: limits.maxCustomerRemovedFraction
                )
                violations.append(violation)
            }
        }

        let held = !violations.isEmpty && !allowDecrease
        var guarded = plan
        var heldCustomers = 0
        if held {
            for index in guarded.customers.indices where guarded.customers[index].holdDecreases() { heldCustomers += 1 }
        }
        let verdict = GuardVerdict(
            managedSeats: managed,
            seatsRemoved: removed,
            customersToZero: toZero,
            violations: violations,
            held: held,
            heldSeats: held ? removed : 0,
            heldCustomers: heldCustomers
        )
        return (guarded, verdict)
    }
}

extension CustomerPlan {
    /// Marks every decrease held, keeping why it was wanted.
    /// - Returns: whether the customer had a decrease.
    fileprivate mutating func holdDecreases() -> Bool {
        var held = false
        for index in lines.indices where lines[index].status == .decrease {
            lines[index].status = .held
            lines[index].reason = "held by the guard; " + lines[index].reason
            held = true
        }
        return held
    }
}
