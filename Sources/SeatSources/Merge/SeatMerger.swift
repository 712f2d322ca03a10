/// Merges the readings of one pass into the seats every customer should have (design.md, "Sources" and "Plan").
///
/// A user counts once per customer across all sources (ids compared case-insensitively). A user holding
/// several feature codes takes one seat, under the first in ``MergePolicy/rolePrecedence``, unless every role
/// takes a seat. Pre-counted seats add to nothing. Every customer any source names gets every managed code,
/// at 0 where nothing grants it: a customer whose last admin left has 0 admin seats though no row says so.
public enum SeatMerger {
    /// - Parameters:
    ///   - readings: one per source, in configuration order (which orders the `why` texts).
    ///   - policy: precedence, seat mode and the mapped feature codes.
    /// - Returns: desired seats per customer and feature code, each with a short reason.
    /// - Throws: ``MergeError`` when pre-counted seats collide with other counts or with listed users.
    public static func merge(_ readings: [SourceReading], policy: MergePolicy) throws(MergeError) -> DesiredSeats {
        var pools: [String: CustomerPool] = [:]
        var sourceOrder: [String] = []
        var result = DesiredSeats()
        for (index, reading) in readings.enumerated() {
            if !sourceOrder.contains(reading.source) { sourceOrder.append(reading.source) }
            for (customer, facts) in reading.customers.sorted(by: { $0.key < $1.key }) {
                try pools[customer, default: CustomerPool()].add(
                    facts,
                    customer: customer,
                    source: reading.source,
                    reading: index
                )
            }
            result.unmappedRoles.merge(reading.unmappedRoles, uniquingKeysWith: +)
            result.notes += reading.notes.map { "\(reading.source): \($0)" }
        }
        for (customer, pool) in pools.sorted(by: { $0.key < $1.key }) {
            try pool.checkCountsAreAlone(customer: customer)
        }

        result.managedFeatures = pools.values.reduce(into: policy.mappedFeatures) { $0.formUnion($1.features) }
        let ranking = FeatureRanking(policy.rolePrecedence)
        for (customer, pool) in pools {
            let tallies = SeatTally.count(pool.users.values, ranking: ranking, everyRole: policy.everyRoleTakesASeat)
            var desired: [String: DesiredCount] = [:]
            for feature in result.managedFeatures {
                if let counted = pool.counts[feature] {
                    let file = counted.origin.at.file.split(separator: "/").last.map(String.init) ?? ""
                    desired[feature] = DesiredCount(
                        count: counted.count,
                        why: "counted \(counted.count) at \(file):\(counted.origin.at.line)"
                    )
                } else if let tally = tallies[feature] {
                    desired[feature] = DesiredCount(count: tally.seats, why: tally.why(sourceOrder: sourceOrder))
                } else {
                    desired[feature] = DesiredCount(count: 0, why: "no source grants it")
                }
            }
            result.customers[customer] = desired
        }
        return result
    }
}

/// Orders feature codes for seating: configured precedence first, the rest alphabetically after.
struct FeatureRanking {
    private let rank: [String: Int]

    init(_ precedence: [String]) {
        var rank: [String: Int] = [:]
        for (index, feature) in precedence.enumerated() where rank[feature] == nil { rank[feature] = index }
        self.rank = rank
    }

    /// The code a user holding all of `features` is seated under.
    func first(of features: some Sequence<String>) -> String? {
        features.min { (rank[$0] ?? Int.max, $0) < (rank[$1] ?? Int.max, $1) }
    }
}

/// The seats of one feature code in one customer, and who accounts for them, for the plan's `why`.
struct SeatTally {
    private(set) var seats = 0
    /// Seated users each source lists with this code.
    private var perSource: [String: Int] = [:]
    /// Seated users more than one source lists with this code.
    private var inSeveral = 0
    /// Users holding this code who are seated under a code of higher precedence, by that code.
    private var seatedElsewhere: [String: Int] = [:]

    /// Seats every user and tallies each feature code.
    static func count(
        _ users: some Sequence<CustomerPool.PooledUser>,
        ranking: FeatureRanking,
        everyRole: Bool
    ) -> [String: SeatTally] {
        var tallies: [String: SeatTally] = [:]
        for user in users {
            if everyRole {
                for (feature, sources) in user.sourcesByFeature { tallies[feature, default: SeatTally()].seat(sources) }
                continue
            }
            guard let seat = ranking.first(of: user.sourcesByFeature.keys) else { continue }
            tallies[seat, default: SeatTally()].seat(user.sourcesByFeature[seat]!)
            for feature in user.sourcesByFeature.keys where feature != seat {
                tallies[feature, default: SeatTally()].seatedElsewhere[seat, default: 0] += 1
            }
        }
        return tallies
    }

    private mutating func seat(_ sources: [String]) {
        seats += 1
        for source in sources { perSource[source, default: 0] += 1 }
        if sources.count > 1 { inSeveral += 1 }
    }

    /// Like `12 users (hr 9, directory 5; 2 in both); 3 counted under admin`.
    func why(sourceOrder: [String]) -> String {
        var text = seats == 1 ? "1 user" : "\(seats) users"
        let listing = sourceOrder.filter { perSource[$0] != nil }
        if listing.count == 1 {
            text += " (\(listing[0]))"
        } else if listing.count > 1 {
            let parts = listing.map { "\($0) \(perSource[$0]!)" }.joined(separator: ", ")
            let overlap = inSeveral == 0 ? "" : "; \(inSeveral) in \(listing.count == 2 ? "both" : "more than one")"
            text += " (\(parts)\(overlap))"
        }
        for (feature, users) in seatedElsewhere.sorted(by: { $0.key < $1.key }) {
            text += "; \(users) counted under \(feature)"
        }
        return text
    }
}
