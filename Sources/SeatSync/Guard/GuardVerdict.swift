/// What the guard found on a plan: the totals it looked at, the limits passed, and what it held.
package struct GuardVerdict: Sendable, Hashable {
    /// Managed seats before the pass, over all customers read.
    package var managedSeats: Int
    /// Seats the plan's undecided decreases remove (not counting changes held before or approved).
    package var seatsRemoved: Int
    /// Seats the plan's undecided increases add.
    package var seatsAdded: Int
    /// Customers the plan takes from some managed seats to none.
    package var customersToZero: [String]
    /// The limits the plan goes over; empty when the plan is within all of them.
    package var violations: [GuardViolation]
    /// Changes held by this pass for the first time.
    package var newlyHeld: [HeldChange]
    /// Changes held since an earlier pass and still wanted: held again, whatever the totals do now.
    package var stillHeld: [HeldChange]
    /// Changes applied because an operator approved them.
    package var approved: [HeldChange]

    init(
        managedSeats: Int,
        seatsRemoved: Int,
        seatsAdded: Int,
        customersToZero: [String],
        violations: [GuardViolation],
        newlyHeld: [HeldChange],
        stillHeld: [HeldChange],
        approved: [HeldChange]
    ) {
        self.managedSeats = managedSeats
        self.seatsRemoved = seatsRemoved
        self.seatsAdded = seatsAdded
        self.customersToZero = customersToZero
        self.violations = violations
        self.newlyHeld = newlyHeld
        self.stillHeld = stillHeld
        self.approved = approved
    }

    /// Every change the pass holds.
    package var heldChanges: [HeldChange] { (stillHeld + newlyHeld).sorted() }
    /// Whether the pass holds anything.
    package var held: Bool { !newlyHeld.isEmpty || !stillHeld.isEmpty }
    /// Seats of the held changes, as a positive number.
    package var heldSeats: Int { heldChanges.reduce(0) { $0 + abs($1.to - $1.from) } }
    package var heldCustomers: Int { Set(heldChanges.map(\.customer)).count }

    /// The violations as one line, the first few customer ones named and the rest counted.
    package var summary: String {
        let shown = 5
        let plan = violations.filter { $0.customer == nil }
        let perCustomer = violations.filter { $0.customer != nil }
        var parts = (plan + perCustomer.prefix(shown)).map(\.description)
        if perCustomer.count > shown { parts.append("and \(perCustomer.count - shown) more customers over the limit") }
        return parts.joined(separator: "; ")
    }
}
