/// Everything every source says about one customer, gathered before seats are decided.
struct CustomerPool {
    /// One user as all sources together see them.
    struct PooledUser {
        var id: String
        /// Feature code to the names of the sources that grant it, in reading order, without repeats.
        var sourcesByFeature: [String: [String]] = [:]
    }

    /// Users keyed by ``UserKey``: the union across sources.
    private(set) var users: [String: PooledUser] = [:]
    /// Pre-counted seats by feature code.
    private(set) var counts: [String: (count: Int, origin: FactOrigin)] = [:]
    /// The earliest user grant per feature code, by reading order then line, for error messages.
    private var firstListing: [String: (reading: Int, origin: FactOrigin)] = [:]

    /// Every feature code any source yields for this customer.
    var features: Set<String> { Set(counts.keys).union(firstListing.keys) }

    /// Adds what reading number `reading` (named `source`) says about this customer.
    /// - Throws: ``MergeError/countedTwice(customer:feature:first:second:)``.
    mutating func add(_ facts: CustomerFacts, customer: String, source: String, reading: Int) throws(MergeError) {
        for (feature, fact) in facts.counts.sorted(by: { $0.key < $1.key }) {
            let origin = FactOrigin(source: source, at: fact.at)
            if let existing = counts[feature] {
                throw .countedTwice(customer: customer, feature: feature, first: existing.origin, second: origin)
            }
            counts[feature] = (fact.count, origin)
        }
        for (key, user) in facts.users {
            var pooled = users[key] ?? PooledUser(id: user.id)
            for grant in user.grants {
                if pooled.sourcesByFeature[grant.feature]?.contains(source) != true {
                    pooled.sourcesByFeature[grant.feature, default: []].append(source)
                }
                let origin = FactOrigin(source: source, at: grant.at)
                if let first = firstListing[grant.feature],
                    (first.reading, first.origin.at.line) <= (reading, grant.at.line)
                {
                    continue
                }
                firstListing[grant.feature] = (reading, origin)
            }
            users[key] = pooled
        }
    }

    /// Refuses a feature code that is both pre-counted and granted to listed users.
    /// - Throws: ``MergeError/countedAndListed(customer:feature:count:user:)``.
    func checkCountsAreAlone(customer: String) throws(MergeError) {
        for (feature, counted) in counts.sorted(by: { $0.key < $1.key }) {
            if let listed = firstListing[feature] {
                throw .countedAndListed(
                    customer: customer,
                    feature: feature,
                    count: counted.origin,
                    user: listed.origin
                )
            }
        }
    }
}
