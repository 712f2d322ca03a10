/// How many seats of one feature code a customer should have, and why.
package struct DesiredCount: Sendable, Hashable {
    package var count: Int
    package var why: String

    package init(count: Int, why: String) {
        self.count = count
        self.why = why
    }
}

/// The merged result of every source: customer -> feature code -> desired seats.
package struct DesiredSeats: Sendable {
    package var customers: [String: [String: DesiredCount]]
    package var managedFeatures: Set<String>
    package var unmappedRoles: [String: Int]
    /// Every source's notes, each naming its source.
    package var notes: [SourceNote]

    package init(
        customers: [String: [String: DesiredCount]] = [:],
        managedFeatures: Set<String> = [],
        unmappedRoles: [String: Int] = [:],
        notes: [SourceNote] = []
    ) {
        self.customers = customers
        self.managedFeatures = managedFeatures
        self.unmappedRoles = unmappedRoles
        self.notes = notes
    }
}
