/// What to do with feature codes that Commet reports for a customer but no source mentions.
public enum AbsentFeatures: String, Sendable, Hashable, CaseIterable {
    /// Leave them as they are (the default: seat-sync only manages what it can see).
    case keep
    /// Bring them to zero.
    case zero
}

/// The limits above which a pass holds its decreases instead of applying them.
public struct GuardLimits: Sendable, Hashable {
    /// Hold when the pass removes more than this fraction of all managed seats.
    public var maxRemovedFraction: Double
    /// Hold when the pass removes more than this many seats in all.
    public var maxRemovedSeats: Int
    /// Hold when any one customer would lose more than this fraction of its managed seats.
    public var maxCustomerRemovedFraction: Double

    public init(maxRemovedFraction: Double = 0.10, maxRemovedSeats: Int = 50, maxCustomerRemovedFraction: Double = 0.5)
    {
        self.maxRemovedFraction = maxRemovedFraction
        self.maxRemovedSeats = maxRemovedSeats
        self.maxCustomerRemovedFraction = maxCustomerRemovedFraction
    }
}

/// How desired seats become a plan: the `policy` section of the config.
public struct PlanPolicy: Sendable, Hashable {
    public var absentFeatures: AbsentFeatures
    public var guardLimits: GuardLimits
    /// Customers that no source names any more but that must be brought to zero (config `policy.zero_customers`).
    public var zeroCustomers: [String]

    public init(
        absentFeatures: AbsentFeatures = .keep,
        guardLimits: GuardLimits = GuardLimits(),
        zeroCustomers: [String] = []
    ) {
        self.absentFeatures = absentFeatures
        self.guardLimits = guardLimits
        self.zeroCustomers = zeroCustomers
    }
}
