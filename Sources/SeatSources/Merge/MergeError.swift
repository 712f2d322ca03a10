/// A fact and the source that stated it, as merge errors name them.
public struct FactOrigin: Sendable, Hashable, CustomStringConvertible {
    /// The configured source name.
    public var source: String
    public var at: Provenance

    public init(source: String, at: Provenance) {
        self.source = source
        self.at = at
    }

    public var description: String { "\(source) at \(at)" }
}

/// Why the readings of one pass cannot be merged; the pass must not write.
public enum MergeError: Error, Sendable, Equatable, CustomStringConvertible {
    /// Two sources pre-count the same customer and feature code; adding them up would guess.
    case countedTwice(customer: String, feature: String, first: FactOrigin, second: FactOrigin)
    /// One source pre-counts a customer's feature code while another lists users holding it.
    case countedAndListed(customer: String, feature: String, count: FactOrigin, user: FactOrigin)

    public var description: String {
        switch self {
        case .countedTwice(let customer, let feature, let first, let second):
            return "customer \"\(customer)\" feature \"\(feature)\" is pre-counted twice, by \(first) and by "
                + "\(second); pre-counted seats are never added together"
        case .countedAndListed(let customer, let feature, let count, let user):
            return "customer \"\(customer)\" feature \"\(feature)\" is pre-counted by \(count) and granted to "
                + "users by \(user); a feature is either counted or listed for a customer, not both"
        }
    }
}
