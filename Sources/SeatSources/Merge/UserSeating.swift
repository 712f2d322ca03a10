/// A feature code one source grants a user, and where it said so.
package struct SourcedGrant: Sendable, Hashable {
    package var feature: String
    /// The configured source name.
    package var source: String
    package var at: Provenance
}

/// How the merge seated one user of one customer: the decision behind the plan's reason column, for `explain`.
package struct UserSeating: Sendable, Hashable {
    /// The user id as the first source listing the user wrote it.
    package var id: String
    /// The sources listing the user, in reading order, whether or not they grant a code.
    package var sources: [String]
    /// Every code each source grants the user, first source first.
    package var grants: [SourcedGrant]
    /// The codes the user takes a seat under: the first held in `role_precedence`, or every code held when every
    /// role takes a seat; empty when the user holds no code a mapping names.
    package var seatedUnder: [String]
}

extension SeatMerger {
    /// How every user the sources list for `customer` is seated, by the same rules and in the same order as
    /// ``merge(_:policy:)`` seats them, so that the users seated under a code are the ones its `why` counts.
    /// - Parameters:
    ///   - readings: one per source, in configuration order, as given to ``merge(_:policy:)``.
    ///   - policy: the policy given to ``merge(_:policy:)``.
    /// - Returns: one entry per user (ids compared as ``UserKey`` compares them), in the order first listed.
    package static func seatings(
        of customer: String,
        in readings: [SourceReading],
        policy: MergePolicy
    ) -> [UserSeating] {
        var sourceNames: [String] = []
        var listings: [CustomerListing] = []
        for reading in readings {
            let source = sourceNames.firstIndex(of: reading.source) ?? sourceNames.count
            if source == sourceNames.count { sourceNames.append(reading.source) }
            if let facts = reading.customers[customer] {
                listings.append(CustomerListing(source: source, facts: facts))
            }
        }
        guard !listings.isEmpty else { return [] }
        return SeatTally.seatings(
            listings,
            ranking: FeatureRanking(policy.rolePrecedence),
            everyRole: policy.everyRoleTakesASeat,
            sourceNames: sourceNames
        )
    }
}
