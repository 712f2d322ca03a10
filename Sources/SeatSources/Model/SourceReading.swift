public import Foundation

/// A feature code granted to one user, and the first place the source said so.
public struct Grant: Sendable, Hashable {
    public var feature: String
    public var at: Provenance

    public init(feature: String, at: Provenance) {
        self.feature = feature
        self.at = at
    }
}

/// What one source says about one user of one customer.
public struct UserFacts: Sendable, Hashable {
    /// The user id as first written in the source.
    public var id: String
    /// One grant per feature code, in the order the source first named them.
    public private(set) var grants: [Grant]

    public init(id: String, grants: [Grant] = []) {
        self.id = id
        self.grants = []
        for grant in grants { self.grant(grant.feature, at: grant.at) }
    }

    /// Records that the user holds `feature`; a repeated grant keeps its first provenance.
    public mutating func grant(_ feature: String, at: Provenance) {
        guard !grants.contains(where: { $0.feature == feature }) else { return }
        grants.append(Grant(feature: feature, at: at))
    }
}

/// A pre-counted number of seats for one feature code, and where it was read.
public struct CountFact: Sendable, Hashable {
    public var count: Int
    public var at: Provenance

    public init(count: Int, at: Provenance) {
        self.count = count
        self.at = at
    }
}

/// Everything one source says about one customer.
public struct CustomerFacts: Sendable, Hashable {
    /// Users keyed by ``UserKey`` (ids compare case-insensitively).
    public var users: [String: UserFacts]
    /// Pre-counted seats keyed by feature code.
    public var counts: [String: CountFact]

    public init(users: [String: UserFacts] = [:], counts: [String: CountFact] = [:]) {
        self.users = users
        self.counts = counts
    }

    /// Records that user `id` holds `feature`, merging with what is already known of that user.
    public mutating func grant(user id: String, feature: String, at: Provenance) {
        users[UserKey.of(id), default: UserFacts(id: id)].grant(feature, at: at)
    }
}

/// How user ids are compared: a user is one identity whatever the case of its id.
public enum UserKey {
    public static func of(_ id: String) -> String { id.lowercased() }
}

/// The result of reading one source whole: facts per customer, plus what the operator should hear about.
public struct SourceReading: Sendable {
    /// The configured source name.
    public var source: String
    /// The file that was read.
    public var file: String
    /// Facts keyed by customer id, exactly as the source writes it (trimmed).
    public var customers: [String: CustomerFacts]
    /// Role values that no mapping names, with how often each occurred; reported once per pass.
    public var unmappedRoles: [String: Int]
    /// Findings that do not stop the pass (an unresolved `memberUid`, a dynamic group), one line each.
    public var notes: [String]
    /// The snapshot sequence number, for sources that carry one.
    public var sequence: Int?
    /// When the source says it was generated, for sources that carry it.
    public var generatedAt: Date?

    public init(
        source: String,
        file: String,
        customers: [String: CustomerFacts] = [:],
        unmappedRoles: [String: Int] = [:],
        notes: [String] = [],
        sequence: Int? = nil,
        generatedAt: Date? = nil
    ) {
        self.source = source
        self.file = file
        self.customers = customers
        self.unmappedRoles = unmappedRoles
        self.notes = notes
        self.sequence = sequence
        self.generatedAt = generatedAt
    }
}
