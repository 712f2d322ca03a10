/// A fact and the source that stated it, as merge errors name them.
package struct FactOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The configured source name.
    package var source: String
    package var at: Provenance

    package init(source: String, at: Provenance) {
        self.source = source
        self.at = at
    }

    package var description: String { "\(source) at \(at)" }
}

/// Why the readings of one pass cannot be merged; the pass must not write.
package enum MergeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Two sources pre-count the same customer and feature code; adding them up would guess.
    case countedTwice(customer: String, feature: String, first: FactOrigin, second: FactOrigin)
    /// One source pre-counts a customer's feature code while another lists users holding it.
    case countedAndListed(customer: String, feature: String, count: FactOrigin, user: FactOrigin)
    /// A pre-counted row asks for more seats than `policy.max_seats_per_customer`.
    case countOverCeiling(customer: String, feature: String, count: Int, origin: FactOrigin, limit: Int)
    /// A customer's seats over all codes add up to more than `policy.max_seats_per_customer`.
    case customerOverCeiling(customer: String, total: Int, limit: Int)

    package var description: String {
        switch self {
        case .countedTwice(let customer, let feature, let first, let second):
            return "customer \"\(customer)\" feature \"\(feature)\" is pre-counted twice, by \(first) and by "
                + "\(second); pre-counted seats are never added together"
        case .countedAndListed(let customer, let feature, let count, let user):
            return "customer \"\(customer)\" feature \"\(feature)\" is pre-counted by \(count) and granted to "
                + "users by \(user); a feature is either counted or listed for a customer, not both"
        case .countOverCeiling(let customer, let feature, let count, let origin, let limit):
            return "\(origin): customer \"\(customer)\" feature \"\(feature)\" is counted \(count) seats, over "
                + "policy.max_seats_per_customer \(limit); refusing a count no real customer has"
        case .customerOverCeiling(let customer, let total, let limit):
            return "customer \"\(customer)\" would hold \(total) seats over all codes, over "
                + "policy.max_seats_per_customer \(limit); refusing the input"
        }
    }
}
