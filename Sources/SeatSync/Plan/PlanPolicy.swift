/// What to do with feature codes that Commet reports for a customer but no source mentions.
package enum AbsentFeatures: String, Sendable, Hashable, CaseIterable {
    /// Leave them as they are (the default: seat-sync only manages what it can see).
    case keep
    /// Bring them to zero.
    case zero
}

/// The limits above which a pass holds changes instead of applying them.
///
/// Decreases: over any limit, every decrease of the pass not already decided is held. Increases: a customer
/// over its limit has its increases held; a pass over `max_added_seats` has every increase held. The defaults
/// are far from a normal month of growth: they catch a broken export, not a busy one.
package struct GuardLimits: Sendable, Hashable {
    /// Hold when the pass removes more than this fraction of all managed seats.
    package var maxRemovedFraction = 0.10
    /// Hold when the pass removes more than this many seats in all.
    package var maxRemovedSeats = 50
    /// Hold when any one customer would lose more than this fraction of its managed seats.
    package var maxCustomerRemovedFraction = 0.5
    /// Hold every increase when the pass adds more than this many seats in all.
    package var maxAddedSeats = 1000
    /// Hold a customer's increases when it gains more than this fraction of its managed seats ...
    package var maxCustomerAddedFraction = 1.0
    /// ... and more than this many seats (so a 2-seat customer growing to 5 is not held).
    package var maxCustomerAddedSeats = 50
}

/// How desired seats become a plan: the `policy` section of the config.
package struct PlanPolicy: Sendable, Hashable {
    package var absentFeatures = AbsentFeatures.keep
    package var guardLimits = GuardLimits()
    /// Customers that no source names any more but that must be brought to zero (config `policy.zero_customers`).
    package var zeroCustomers: [String] = []
    /// How long a decrease Commet accepted may stay pending before it is sent once more
    /// (`policy.pending_timeout`).
    package var pendingTimeout: Duration = .seconds(24 * 3600)
}
