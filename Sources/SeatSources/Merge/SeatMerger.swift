/// Merges the readings of one pass into the seats every customer should have (docs/design.md, "Data flow").
///
/// A user counts once per customer across all sources (ids compared case-insensitively). A user holding
/// several feature codes takes one seat, under the first in ``MergePolicy/rolePrecedence``, unless every role
/// takes a seat. Pre-counted seats add to nothing. Every customer any source names gets every managed code,
/// at 0 where nothing grants it: a customer whose last admin left has 0 admin seats though no row says so.
package enum SeatMerger {
    /// - Parameters:
    ///   - readings: one per source, in configuration order (which orders the `why` texts).
    ///   - policy: precedence, seat mode and the mapped feature codes.
    /// - Returns: desired seats per customer and feature code, each with a short reason.
    /// - Throws: ``MergeError`` when pre-counted seats collide with other counts or with listed users.
    package static func merge(_ readings: [SourceReading], policy: MergePolicy) throws(MergeError) -> DesiredSeats {
        var sourceNames: [String] = []
        var listings: [String: [CustomerListing]] = [:]
        var counted: [String: [String: (count: Int, origin: FactOrigin)]] = [:]
        var result = DesiredSeats()
        for reading in readings {
            let source = sourceNames.firstIndex(of: reading.source) ?? sourceNames.count
            if source == sourceNames.count { sourceNames.append(reading.source) }
            listings.reserveCapacity(listings.count + reading.customers.count)
            for (customer, facts) in reading.customers {
                listings[customer, default: []].append(CustomerListing(source: source, facts: facts))
            }
            // Customers and codes in order, so that the same collision is reported on every run. Found by index:
            // filtering the dictionary copied each customer's facts, retaining and releasing each of its arrays.
            let customers = reading.customers
            let countingCustomers = customers.indices.filter { !customers.values[$0].counts.isEmpty }
                .map { customers.keys[$0] }.sorted()
            for customer in countingCustomers {
                for (feature, fact) in reading.customers[customer]!.counts.sorted(by: { $0.key < $1.key }) {
                    let origin = FactOrigin(source: reading.source, at: fact.at)
                    if let existing = counted[customer]?[feature] {
                        throw .countedTwice(
                            customer: customer,
                            feature: feature,
                            first: existing.origin,
                            second: origin
                        )
                    }
                    guard fact.count <= policy.maxSeatsPerCustomer else {
                        throw .countOverCeiling(
                            customer: customer,
                            feature: feature,
                            count: fact.count,
                            origin: origin,
                            limit: policy.maxSeatsPerCustomer
                        )
                    }
                    counted[customer, default: [:]][feature] = (fact.count, origin)
                }
            }
            result.unmappedRoles.merge(reading.unmappedRoles, uniquingKeysWith: +)
            result.notes += reading.notes.map { note in
                var named = note
                named.source = reading.source
                return named
            }
        }
        for (customer, counts) in counted.sorted(by: { $0.key < $1.key }) {
            for (feature, count) in counts.sorted(by: { $0.key < $1.key }) {
                if let listed = CustomerListing.firstGrant(of: feature, in: listings[customer]!) {
                    throw .countedAndListed(
                        customer: customer,
                        feature: feature,
                        count: count.origin,
                        user: FactOrigin(source: sourceNames[listed.source], at: listed.at)
                    )
                }
            }
        }

        let ranking = FeatureRanking(policy.rolePrecedence)
        let tallies = SeatTally.count(listings, ranking: ranking, everyRole: policy.everyRoleTakesASeat)
        result.managedFeatures = policy.mappedFeatures
        for counts in counted.values { result.managedFeatures.formUnion(counts.keys) }
        for customer in tallies.values { result.managedFeatures.formUnion(customer.keys) }
        result.customers = try desiredCounts(
            of: Array(listings.keys),
            features: result.managedFeatures,
            counted: counted,
            tallies: tallies,
            sourceNames: sourceNames,
            limit: policy.maxSeatsPerCustomer
        )
        return result
    }

    /// Every customer's desired count of each managed feature code, with its `why`: pre-counted, tallied, or 0.
    ///
    /// Customers in runs on every core, as they are seated: writing each count's `why` and each customer's
    /// dictionary was most of what merging did on one thread after the seating.
    /// - Throws: ``MergeError/customerOverCeiling(customer:total:limit:)`` for the first such customer by id.
    private static func desiredCounts(
        of customers: [String],
        features: Set<String>,
        counted: [String: [String: (count: Int, origin: FactOrigin)]],
        tallies: [String: [String: SeatTally]],
        sourceNames: [String],
        limit: Int
    ) throws(MergeError) -> [String: [String: DesiredCount]] {
        let built = [(customer: String, desired: [String: DesiredCount], total: Int)](
            concurrentlyInRunsOf: customers
        ) { customer in
            var desired: [String: DesiredCount] = [:]
            desired.reserveCapacity(features.count)
            for feature in features {
                if let counted = counted[customer]?[feature] {
                    let file = counted.origin.at.file.split(separator: "/").last.map(String.init) ?? ""
                    desired[feature] = DesiredCount(
                        count: counted.count,
                        why: "counted \(counted.count) at \(file):\(counted.origin.at.line)"
                    )
                } else if let tally = tallies[customer]?[feature] {
                    desired[feature] = DesiredCount(count: tally.seats, tally: tally, sourceNames: sourceNames)
                } else {
                    desired[feature] = DesiredCount(count: 0, why: "no source grants it")
                }
            }
            return (customer, desired, desired.values.reduce(0) { $0 + $1.count })
        }
        if let over = built.filter({ $0.total > limit }).min(by: { $0.customer < $1.customer }) {
            throw .customerOverCeiling(customer: over.customer, total: over.total, limit: limit)
        }
        var desired: [String: [String: DesiredCount]] = [:]
        desired.reserveCapacity(customers.count)
        for customer in built { desired[customer.customer] = customer.desired }
        return desired
    }
}

/// What one source says about one customer, as the merge pools it with the other sources.
struct CustomerListing {
    /// The number of the source, in the order sources were first read.
    var source: Int
    var facts: CustomerFacts

    /// The earliest grant of `feature` to a listed user, by reading order then line, for error messages.
    static func firstGrant(of feature: String, in listings: [CustomerListing]) -> (source: Int, at: Provenance)? {
        for listing in listings {
            let users = listing.facts.users
            guard let number = users.codes.number(ofKnown: feature) else { continue }
            var first: UserTable.StoredGrant?
            for user in users.indices {
                users.forEachGrant(of: user) { grant in
                    if grant.feature == number, first.map({ users.line(of: grant) < users.line(of: $0) }) ?? true {
                        first = grant
                    }
                }
            }
            if let first { return (listing.source, users.provenance(of: first)) }
        }
        return nil
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

    /// For each of `codes`, its place when all of them are ordered for seating (0 is seated first).
    func places(of codes: [String]) -> [Int] {
        let ranks = codes.map { rank[$0] ?? Int.max }
        let order = codes.indices.sorted { (ranks[$0], codes[$0]) < (ranks[$1], codes[$1]) }
        var places = [Int](repeating: 0, count: codes.count)
        for (place, index) in order.enumerated() { places[index] = place }
        return places
    }
}
