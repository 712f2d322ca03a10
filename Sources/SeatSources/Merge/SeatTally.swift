/// The seats of one feature code in one customer, and who accounts for them, for the plan's `why`.
struct SeatTally {
    private(set) var seats = 0
    /// Seated users each source lists with this code, by source number (sources are few).
    private var perSource: [Int] = []
    /// Seated users more than one source lists with this code.
    private var inSeveral = 0
    /// Users holding this code who are seated under a code of higher precedence, by that code.
    private var seatedElsewhere: [String: Int] = [:]

    /// Seats every user the sources list for one customer, and tallies each feature code a user holds.
    /// - Parameter listings: what each source says about the customer, in reading order.
    static func count(_ listings: [CustomerListing], ranking: FeatureRanking, everyRole: Bool) -> [String: SeatTally] {
        var seating = CustomerSeating(listings, ranking: ranking, everyRole: everyRole)
        if listings.count == 1 {
            seating.seatSingleSource()
        } else {
            seating.seatAcrossSources()
        }
        return seating.tallies()
    }

    /// Every customer's tallies, as ``count(_:ranking:everyRole:)`` counts one customer's.
    ///
    /// Customers are seated independently of each other, so they are seated on every core, in runs of customers
    /// handed out as cores come free: one run may hold most of the users. Seating was a tenth of check-config's time
    /// on the benchmark's 1,000,000-row CSV, all of it after the read.
    /// - Parameter listings: by customer id, what each source says about the customer, in reading order.
    static func count(
        _ listings: [String: [CustomerListing]],
        ranking: FeatureRanking,
        everyRole: Bool
    ) -> [String: [String: SeatTally]] {
        let counted = [(String, [String: SeatTally])](concurrentlyInRunsOf: Array(listings)) {
            ($0.key, count($0.value, ranking: ranking, everyRole: everyRole))
        }
        return Dictionary(uniqueKeysWithValues: counted)
    }

    /// How every user the sources list for one customer is seated, user by user, as ``count(_:ranking:everyRole:)``
    /// seats them: the decisions behind the tallies, for `explain`.
    /// - Parameter sourceNames: the source names by number.
    static func seatings(
        _ listings: [CustomerListing],
        ranking: FeatureRanking,
        everyRole: Bool,
        sourceNames: [String]
    ) -> [UserSeating] {
        var seating = CustomerSeating(listings, ranking: ranking, everyRole: everyRole)
        seating.record = SeatingRecord(sourceNames: sourceNames)
        if listings.count == 1 {
            seating.seatSingleSource()
        } else {
            seating.seatAcrossSources()
        }
        return seating.record?.users ?? []
    }

    /// Seats `users` users who each hold this code in `sources`.
    fileprivate mutating func seat(_ sources: some Collection<Int>, users: Int = 1) {
        seats += users
        for source in sources {
            if source >= perSource.count { perSource += repeatElement(0, count: source + 1 - perSource.count) }
            perSource[source] += users
        }
        if sources.count > 1 { inSeveral += users }
    }

    fileprivate mutating func seatedElsewhere(under code: String, users: Int) {
        seatedElsewhere[code, default: 0] += users
    }

    /// Like `12 users (hr 9, directory 5; 2 in both); 3 counted under admin`.
    /// - Parameter sourceNames: the source names by number.
    func why(sourceNames: [String]) -> String {
        var text = seats == 1 ? "1 user" : "\(seats) users"
        let listing = perSource.indices.filter { perSource[$0] > 0 }
        if listing.count == 1 {
            text += " (\(sourceNames[listing[0]]))"
        } else if listing.count > 1 {
            let parts = listing.map { "\(sourceNames[$0]) \(perSource[$0])" }.joined(separator: ", ")
            let overlap = inSeveral == 0 ? "" : "; \(inSeveral) in \(listing.count == 2 ? "both" : "more than one")"
            text += " (\(parts)\(overlap))"
        }
        for (feature, users) in seatedElsewhere.sorted(by: { $0.key < $1.key }) {
            text += "; \(users) counted under \(feature)"
        }
        return text
    }
}

/// Seats the users of one customer, reading them where the sources keep them rather than copying them into a pool.
private struct CustomerSeating {
    let listings: [CustomerListing]
    let everyRole: Bool
    /// Every feature code any listing names, numbered for this customer.
    private var codes: [String] = []
    /// Per listing, its own feature numbers to this customer's.
    private var numbering: [[Int]] = []
    /// Per code, its place in seating order.
    private var places: [Int] = []
    private var tally: [SeatTally] = []
    /// Per code, whether some user holds it.
    private var isHeld: [Bool] = []
    /// At code held times the number of codes plus code seated under, the users seated under another code than one
    /// they hold: counted by number rather than by the seat's code, since hashing code strings was about a fifth of
    /// seating the benchmark snapshot's users.
    private var elsewhere: [Int] = []
    /// The codes of the user being seated and a source listing each, without repeats; reused for every user.
    private var held: [(code: Int, source: Int)] = []
    /// The sources listing the code being seated; reused for every user, where a lazy filter of `held` made
    /// the runtime look its type up for each user who holds two codes.
    private var heldSources: [Int] = []
    /// The seating of each user, kept only for `explain`; `nil` on a pass, which needs the tallies alone.
    var record: SeatingRecord?

    init(_ listings: [CustomerListing], ranking: FeatureRanking, everyRole: Bool) {
        self.listings = listings
        self.everyRole = everyRole
        if listings.count == 1 {
            // One listing's codes are distinct already.
            codes = listings[0].facts.users.codes.all
            numbering = [Array(codes.indices)]
        } else {
            var numbers: [String: Int] = [:]
            for listing in listings {
                numbering.append(
                    listing.facts.users.codes.all.map { code in
                        if let number = numbers[code] { return number }
                        numbers[code] = codes.count
                        codes.append(code)
                        return codes.count - 1
                    }
                )
            }
        }
        places = ranking.places(of: codes)
        tally = Array(repeating: SeatTally(), count: codes.count)
        isHeld = Array(repeating: false, count: codes.count)
        elsewhere = Array(repeating: 0, count: codes.count * codes.count)
    }

    /// The tallies of the codes some user holds.
    func tallies() -> [String: SeatTally] {
        var result: [String: SeatTally] = [:]
        result.reserveCapacity(codes.count)
        for code in codes.indices where isHeld[code] {
            var counted = tally[code]
            for seat in codes.indices where elsewhere[code * codes.count + seat] > 0 {
                counted.seatedElsewhere(under: codes[seat], users: elsewhere[code * codes.count + seat])
            }
            result[codes[code]] = counted
        }
        return result
    }

    /// One source: every user is listed once, so no user needs looking up elsewhere.
    ///
    /// Most users hold one code and take their seat under it: without a record they are counted per code and
    /// seated together at the end (a tally is counts only, so the order does not matter). Collecting each one's
    /// codes and seating them one at a time took twice the samples on the benchmark's 1,000,000-row CSV.
    mutating func seatSingleSource() {
        let users = listings[0].facts.users
        let source = listings[0].source
        let numbers = numbering[0]
        var onlyCode = [Int](repeating: 0, count: codes.count)
        for user in users.indices {
            if record == nil, let feature = users.onlyFeature(of: user) {
                onlyCode[numbers[Int(feature)]] += 1
                continue
            }
            held.removeAll(keepingCapacity: true)
            users.forEachGrant(of: user) { held.append((numbers[Int($0.feature)], source)) }
            record?.begin(listing: 0, user: user)
            seatHeld()
        }
        for code in onlyCode.indices where onlyCode[code] > 0 {
            isHeld[code] = true
            tally[code].seat(CollectionOfOne(source), users: onlyCode[code])
        }
    }

    /// Several sources: a user is seated from the first listing that names them, with what the later ones add.
    mutating func seatAcrossSources() {
        for (index, listing) in listings.enumerated() {
            let users = listing.facts.users
            for user in users.indices {
                let seen = users.withKey(of: user) { key in
                    listings[..<index].contains { $0.facts.users.number(ofFolded: key) != nil }
                }
                if seen { continue }
                held.removeAll(keepingCapacity: true)
                record?.begin(listing: index, user: user)
                addHeld(from: index, user: user)
                for later in (index + 1)..<listings.count {
                    if let other = users.withKey(of: user, { listings[later].facts.users.number(ofFolded: $0) }) {
                        record?.listings.append((later, other))
                        addHeld(from: later, user: other)
                    }
                }
                seatHeld()
            }
        }
    }

    private mutating func addHeld(from listing: Int, user: Int) {
        let source = listings[listing].source
        listings[listing].facts.users.forEachGrant(of: user) { grant in
            let code = numbering[listing][Int(grant.feature)]
            if !held.contains(where: { $0 == (code, source) }) { held.append((code, source)) }
        }
    }

    /// Seats the user whose codes are in `held`.
    private mutating func seatHeld() {
        guard let seat = held.min(by: { places[$0.code] < places[$1.code] })?.code else {
            record?.finish(seatedUnder: [], listings: listings)
            return
        }
        var seatedUnder: [String] = []
        for (index, (code, _)) in held.enumerated() where !held[..<index].contains(where: { $0.code == code }) {
            isHeld[code] = true
            if everyRole || code == seat {
                heldSources.removeAll(keepingCapacity: true)
                for entry in held where entry.code == code { heldSources.append(entry.source) }
                tally[code].seat(heldSources)
                if record != nil { seatedUnder.append(codes[code]) }
            } else {
                elsewhere[code * codes.count + seat] += 1
            }
        }
        record?.finish(seatedUnder: seatedUnder, listings: listings)
    }
}

/// The users seated so far and where the user being seated is listed, while ``CustomerSeating`` records.
struct SeatingRecord {
    let sourceNames: [String]
    private(set) var users: [UserSeating] = []
    /// The listings naming the user being seated, and the user's number in each.
    var listings: [(listing: Int, user: Int)] = []

    init(sourceNames: [String]) {
        self.sourceNames = sourceNames
    }

    mutating func begin(listing: Int, user: Int) {
        listings = [(listing, user)]
    }

    /// Records the user being seated, with every grant each listing holds for them.
    mutating func finish(seatedUnder: [String], listings all: [CustomerListing]) {
        var grants: [SourcedGrant] = []
        var sources: [String] = []
        for (listing, user) in listings {
            let table = all[listing].facts.users
            let source = sourceNames[all[listing].source]
            if !sources.contains(source) { sources.append(source) }
            table.forEachGrant(of: user) { grant in
                grants.append(
                    SourcedGrant(feature: table.codes[grant.feature], source: source, at: table.provenance(of: grant))
                )
            }
        }
        let id = all[listings[0].listing].facts.users.id(of: listings[0].user)
        users.append(UserSeating(id: id, sources: sources, grants: grants, seatedUnder: seatedUnder))
    }
}
