/// The users one source lists for one customer, each with the feature codes the source grants them and where it
/// said so; a collection of ``UserFacts`` in the order the source first listed each user.
///
/// Exports list a million users, so a user is kept as its folded id's bytes and one fixed-size first grant, not as
/// `String`s, arrays and ``Provenance`` values: feature codes, and the files and details of provenances, are
/// numbered once per customer (or once per file, see `useCodes(_:)`), and ``UserFacts`` values are only made when
/// asked for. A user costs about forty bytes besides its id.
package struct UserTable: Sendable, RandomAccessCollection {
    /// One grant as kept: the feature code and the file and detail of its provenance by number, and its line.
    ///
    /// Twelve bytes rather than the sixteen an `Int` line would cost, a third of a user's own: lines from
    /// ``longLine`` on, which only files of billions of lines reach, are kept in `longLines` instead.
    struct StoredGrant {
        /// The line, or ``longLine`` plus the index of the line in `longLines`.
        fileprivate var lineCode: UInt32
        var feature: UInt32
        var place: UInt32
    }

    /// A user's second or later grant, and where the same user's next one is.
    private struct LaterGrant {
        var grant: StoredGrant
        /// The index of the user's next grant in `laterGrants` plus one; 0 when there is none.
        var next: UInt32 = 0
    }

    /// The file and detail of a provenance; the line is kept per grant.
    private struct Place: Hashable {
        var file: String
        var detail: String?
    }

    /// The `feature` of the first grant of a user who holds none.
    private static let noFeature = UInt32.max
    /// The first line that a ``StoredGrant`` does not hold itself.
    private static let longLine: UInt32 = 1 << 31

    /// Folded ids (``UserKey``), numbered by user.
    private var keys = ByteStringTable()
    /// Per user, its first grant.
    private var firstGrants: [StoredGrant] = []
    /// Every user's second and later grants, chained per user.
    private var laterGrants: [LaterGrant] = []
    /// For users holding more than one feature code (few do), the index of their second grant in `laterGrants`.
    private var secondGrants: [Int: Int] = [:]
    /// One bit per user, set when the user is in `secondGrants`, so that most users need no dictionary lookup.
    private var hasSecondGrant: [UInt64] = []
    /// Ids first written otherwise than folded, by user number.
    private var spellings: [Int: String] = [:]
    private(set) var codes = FeatureCodes()
    private var places: [Place] = []
    private var placeNumbers: [Place: UInt32] = [:]
    /// The lines of grants from ``longLine`` on, by the index their ``StoredGrant/lineCode`` holds.
    private var longLines: [Int] = []

    package var startIndex: Int { 0 }
    package var endIndex: Int { firstGrants.count }

    /// The user numbered `position`, in the order the source first listed them.
    package subscript(position: Int) -> UserFacts {
        var grants: [Grant] = []
        forEachGrant(of: position) { grants.append(Grant(feature: codes[$0.feature], at: provenance(of: $0))) }
        return UserFacts(id: id(of: position), grants: grants)
    }

    /// The user whose id equals `id` compared as ``UserKey`` compares them.
    package subscript(id: String) -> UserFacts? {
        var id = id
        return id.withUTF8 { written in UserKey.withFolded(written) { number(ofFolded: $0) } }.map { self[$0] }
    }

    /// The number of the user whose folded id is `key`.
    func number(ofFolded key: UnsafeBufferPointer<UInt8>) -> Int? {
        keys.number(of: key)
    }

    /// ``number(ofFolded:)`` in place, for the reason ``ByteStringTable/numberInPlace(of:)`` gives.
    mutating func numberInPlace(ofFolded key: UnsafeBufferPointer<UInt8>) -> Int? {
        keys.numberInPlace(of: key)
    }

    /// Asks for what adding a user reads besides the slot of its id to be brought into cache. Mutating for the
    /// reason ``prefetch(written:)`` is.
    mutating func prefetchForNewUser() {
        keys.prefetchForInsert()
        firstGrants.prefetchHeader()
        // A first grant per user: `keys.count` is its count without waiting for the array's header.
        firstGrants.prefetchElement(at: keys.count)
    }

    /// Asks for what looking up the user with id `written` (UTF-8) first reads to be brought into cache.
    ///
    /// Mutating though it changes nothing: a table in an array is then reached in place, where reading it copied
    /// the table, retaining each of its arrays, which cost more than the prefetch saved.
    mutating func prefetch(written: UnsafeBufferPointer<UInt8>) {
        keys.prefetch(hash: UserKey.withFolded(written) { ByteStringTable.hash($0) })
    }

    /// Makes room for `users` more users, so that numbering them grows no table (see
    /// ``ByteStringTable/reserveCapacity(_:)``); only the bytes of their ids may still grow (``reserveIDBytes(_:)``).
    mutating func reserveCapacity(_ users: Int) {
        keys.reserveCapacity(users)
        firstGrants.reserveCapacity(keys.count + users)
        hasSecondGrant.reserveCapacity((keys.count + users) / 64 + 1)
    }

    /// Makes room for `bytes` more bytes of folded ids.
    mutating func reserveIDBytes(_ bytes: Int) {
        keys.reserveKeyBytes(bytes)
    }

    /// The number of the user with id `written` (UTF-8), who is added, holding nothing, when new.
    mutating func user(written: UnsafeBufferPointer<UInt8>) -> Int {
        UserKey.withFolded(written) { folded in
            let (number, inserted) = keys.insert(folded)
            if inserted {
                firstGrants.appendGrowingByHalf(StoredGrant(lineCode: 0, feature: Self.noFeature, place: 0))
                if number % 64 == 0 { hasSecondGrant.append(0) }
                if folded.baseAddress != written.baseAddress, !ByteComparison.equal(folded, written) {
                    spellings[number] = String(decoding: written, as: UTF8.self)
                }
            }
            return number
        }
    }

    /// Records that `user` holds the feature code numbered `feature`; a repeated grant keeps its first provenance.
    mutating func grant(_ user: Int, feature: UInt32, place: UInt32, line: Int) {
        let first = firstGrants[user].feature
        if first == Self.noFeature {
            firstGrants[user] = stored(line: line, feature: feature, place: place)
            return
        }
        if first == feature { return }
        guard hasSecondGrant[user / 64] & 1 << (user % 64) != 0, var last = secondGrants[user] else {
            secondGrants[user] = laterGrants.count
            hasSecondGrant[user / 64] |= 1 << (user % 64)
            laterGrants.append(LaterGrant(grant: stored(line: line, feature: feature, place: place)))
            return
        }
        while true {
            if laterGrants[last].grant.feature == feature { return }
            guard laterGrants[last].next != 0 else { break }
            last = Int(laterGrants[last].next - 1)
        }
        laterGrants.append(LaterGrant(grant: stored(line: line, feature: feature, place: place)))
        laterGrants[last].next = UInt32(laterGrants.count)
    }

    /// A grant to keep, its line put in `longLines` when it is too large to hold.
    private mutating func stored(line: Int, feature: UInt32, place: UInt32) -> StoredGrant {
        guard line >= Int(Self.longLine) else {
            return StoredGrant(lineCode: UInt32(line), feature: feature, place: place)
        }
        precondition(longLines.count < Int(Self.longLine), "more than 2^31 grants on lines past 2^31")
        longLines.append(line)
        return StoredGrant(lineCode: Self.longLine + UInt32(longLines.count - 1), feature: feature, place: place)
    }

    /// Moves the line of every grant by `offset`: a snapshot's tail is decoded counting lines from where it starts
    /// (``SnapshotCustomerStream``). A line moved past ``longLine`` goes into `longLines`, where one moved from there
    /// leaves its old entry.
    mutating func moveLines(by offset: Int) {
        guard offset != 0 else { return }
        for index in firstGrants.indices where firstGrants[index].feature != Self.noFeature {
            let grant = firstGrants[index]
            firstGrants[index] = stored(line: line(of: grant) + offset, feature: grant.feature, place: grant.place)
        }
        for index in laterGrants.indices {
            let grant = laterGrants[index].grant
            laterGrants[index].grant = stored(
                line: line(of: grant) + offset,
                feature: grant.feature,
                place: grant.place
            )
        }
    }

    /// The line of `grant`.
    func line(of grant: StoredGrant) -> Int {
        grant.lineCode < Self.longLine ? Int(grant.lineCode) : longLines[Int(grant.lineCode - Self.longLine)]
    }

    /// The number of feature code `code` in this table, numbering it when new.
    mutating func featureNumber(_ code: String) -> UInt32 {
        codes.number(of: code)
    }

    /// Reads this table's feature numbers as `codes` numbers them.
    ///
    /// A reader that numbers feature codes once per file grants by those numbers, and hands every customer the
    /// file's numbering when done; `codes` must number whatever this table numbered itself the same way.
    mutating func useCodes(_ codes: FeatureCodes) {
        precondition(codes.all.starts(with: self.codes.all), "feature numbering changed")
        self.codes = codes
    }

    /// The number of a provenance's file and detail in this table, numbering them when new.
    mutating func placeNumber(file: String, detail: String?) -> UInt32 {
        // The place before is compared where it lies: most grants repeat it (a group's members), and making a
        // `Place` of each grant's strings, and copying the last one, retained the file's name, a count that the
        // threads resolving an LDIF export's customers contended for on every member.
        if let last = places.indices.last, places[last].file == file, places[last].detail == detail {
            return UInt32(last)
        }
        let place = Place(file: file, detail: detail)
        if let number = placeNumbers[place] { return number }
        let number = UInt32(places.count)
        places.append(place)
        placeNumbers[place] = number
        return number
    }

    /// The feature number of `user`'s only grant; `nil` when the user holds none or more than one.
    func onlyFeature(of user: Int) -> UInt32? {
        let first = firstGrants[user].feature
        guard first != Self.noFeature, hasSecondGrant[user / 64] & 1 << (user % 64) == 0 else { return nil }
        return first
    }

    /// Calls `body` with each grant of `user`, first granted first.
    func forEachGrant(of user: Int, _ body: (StoredGrant) throws -> Void) rethrows {
        let first = firstGrants[user]
        guard first.feature != Self.noFeature else { return }
        try body(first)
        guard hasSecondGrant[user / 64] & 1 << (user % 64) != 0 else { return }
        var next = secondGrants[user].map { $0 + 1 } ?? 0
        while next != 0 {
            let later = laterGrants[next - 1]
            try body(later.grant)
            next = Int(later.next)
        }
    }

    /// Calls `body` with the folded id of `user`.
    func withKey<Result>(of user: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try keys.withBytes(of: user, body)
    }

    /// The id of `user` as first written.
    func id(of user: Int) -> String {
        spellings[user] ?? keys.string(user)
    }

    /// Where the source said what `grant` says.
    func provenance(of grant: StoredGrant) -> Provenance {
        let place = places[Int(grant.place)]
        return Provenance(file: place.file, line: line(of: grant), detail: place.detail)
    }
}

/// Feature codes numbered in the order first met; a customer holds a handful, so most lookups are a short scan.
struct FeatureCodes: Sendable {
    private(set) var all: [String] = []
    /// Built once there are more codes than a scan should pass over.
    private var numbers: [String: UInt32] = [:]
    private static let scanLimit = 8

    subscript(number: UInt32) -> String { all[Int(number)] }

    /// The number of `code`, numbering it when new.
    mutating func number(of code: String) -> UInt32 {
        if all.count <= Self.scanLimit {
            if let index = all.firstIndex(of: code) { return UInt32(index) }
        } else if let number = numbers[code] {
            return number
        }
        all.append(code)
        if all.count == Self.scanLimit + 1 {
            for (index, known) in all.enumerated() { numbers[known] = UInt32(index) }
        } else if all.count > Self.scanLimit + 1 {
            numbers[code] = UInt32(all.count - 1)
        }
        return UInt32(all.count - 1)
    }

    /// The number of `code`, if it was numbered.
    func number(ofKnown code: String) -> UInt32? {
        if all.count <= Self.scanLimit { return all.firstIndex(of: code).map(UInt32.init) }
        return numbers[code]
    }
}
