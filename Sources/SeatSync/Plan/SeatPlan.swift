/// The whole pass's plan: one ``CustomerPlan`` per customer, sorted by customer id.
package struct SeatPlan: Sendable, Hashable {
    package var customers: [CustomerPlan]

    init(customers: [CustomerPlan]) {
        self.customers = customers.sorted { $0.customer < $1.customer }
    }

    /// Seats the plan's writes remove, over all customers (a positive number).
    package var seatsRemoved: Int { customers.reduce(0) { $0 + $1.seatsRemoved } }
}
