/// What the guard found on a plan: the totals it looked at, the limits passed, and whether it held.
public struct GuardVerdict: Sendable, Hashable {
    /// Managed seats before the pass, over all customers read.
    public var managedSeats: Int
    /// Seats the plan removes, before any hold.
    public var seatsRemoved: Int
    /// Customers the plan takes from some managed seats to none.
    public var customersToZero: [String]
    /// The limits the plan goes over; empty when the plan is within all of them.
    public var violations: [GuardViolation]
    /// Whether the decreases were held (violations, and no `--allow-decrease`).
    public var held: Bool
    /// Decreases held, in seats and customers.
    public var heldSeats: Int
    public var heldCustomers: Int

    init(
        managedSeats: Int,
        seatsRemoved: Int,
        customersToZero: [String],
        violations: [GuardViolation],
        held: Bool,
        heldSeats: Int,
        heldCustomers: Int
    ) {
        self.managedSeats = managedSeats
        self.seatsRemoved = seatsRemoved
        self.customersToZero = customersToZero
        self.violations = violations
        self.held = held
        self.heldSeats = heldSeats
        self.heldCustomers = heldCustomers
    }

    /// The violations as one line, the first few customer ones named and the rest counted.
    public var summary: String {
        let shown = 5
        let plan = violations.filter { if case .customerRemovedFraction = $0 { false } else { true } }
        let perCustomer = violations.filter { if case .customerRemovedFraction = $0 { true } else { false } }
        var parts = (plan + perCustomer.prefix(shown)).map(\.description)
        if perCustomer.count > shown { parts.append("and \(perCustomer.count - shown) more customers over the limit") }
        return parts.joined(separator: "; ")
    }
}
