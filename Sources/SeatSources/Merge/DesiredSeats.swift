/// How many seats of one feature code a customer should have, and why.
public struct DesiredCount: Sendable, Hashable {
    public var count: Int
    public var why: String

    public init(count: Int, why: String) {
        self.count = count
        self.why = why
    }
}

/// The merged result of every source: customer -> feature code -> desired seats.
public struct DesiredSeats: Sendable {
    public var customers: [String: [String: DesiredCount]]
    public var managedFeatures: Set<String>
    public var unmappedRoles: [String: Int]
    public var notes: [String]

    public init(
        customers: [String: [String: DesiredCount]] = [:],
        managedFeatures: Set<String> = [],
        unmappedRoles: [String: Int] = [:],
        notes: [String] = []
    ) {
        self.customers = customers
        self.managedFeatures = managedFeatures
        self.unmappedRoles = unmappedRoles
        self.notes = notes
    }
}
