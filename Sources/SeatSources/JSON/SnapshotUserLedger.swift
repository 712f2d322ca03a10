/// The users of one customer of a snapshot as they are read: active ones numbered in the customer's
/// ``UserTable``, inactive ones in a table of their own, both by folded id (``UserKey``), each with the index of
/// the entry that listed it, so that an id listed twice, active or not, is refused naming both entries.
///
/// A lookup in a table from the closure that reads an id used to copy the table for each user, retaining and
/// releasing each of its arrays: a seventh of reading a snapshot's users, the two threads that read them
/// contending for those counts. Both lookups now run in place (``ByteStringTable/numberInPlace(of:)``).
struct SnapshotUserLedger {
    private(set) var facts = CustomerFacts()
    private var inactive = ByteStringTable()
    /// By user number, the index of the entry that listed the user.
    private var activeAt: [Int] = []
    private var inactiveAt: [Int] = []
    private let listed: Int

    /// - Parameter listed: how many entries the customer's users array holds.
    init(listed: Int) {
        self.listed = listed
        facts.users.reserveCapacity(listed)
        activeAt.reserveCapacity(listed)
    }

    /// The most bytes of ids reserved for a customer from its first id's length: a customer's ids are mostly of
    /// about one length, and a hostile first id must not reserve more than this.
    private static let reservedIdBytes = 1 << 20

    /// Takes in the user whose id, as written, is the UTF-8 `id`, listed at entry `index`.
    /// - Returns: the number of an active user in ``facts`` (0 for an inactive one), and the index of an earlier
    ///   entry with the same id, when there is one; the user is then not taken in.
    mutating func enter(_ id: UnsafeBufferPointer<UInt8>, isActive: Bool, index: Int) -> (user: Int, earlier: Int?) {
        if isActive {
            let count = facts.users.count
            // Room for the ids as long as the first: growing the bytes by half from empty took 17 steps for a
            // customer of 100 users, 3% of the instructions reading the benchmark's snapshot took.
            if count == 0 { facts.users.reserveIDBytes(Swift.min(listed * id.count, Self.reservedIdBytes)) }
            let user = facts.users.user(written: id)
            if user < count { return (user, activeAt[user]) }
            activeAt.append(index)
            guard inactive.count > 0, let number = Self.number(of: id, in: &inactive) else { return (user, nil) }
            return (user, inactiveAt[number])
        }
        if let active = Self.number(of: id, in: &facts) { return (0, activeAt[active]) }
        let (number, inserted) = Self.insert(id, into: &inactive)
        if !inserted { return (0, inactiveAt[number]) }
        inactiveAt.append(index)
        return (0, nil)
    }

    /// Grants the feature code numbered `feature` to the active user numbered `user`.
    mutating func grant(_ user: Int, feature: UInt32, place: UInt32, line: Int) {
        facts.users.grant(user, feature: feature, place: place, line: line)
    }

    mutating func placeNumber(file: String, detail: String?) -> UInt32 {
        facts.users.placeNumber(file: file, detail: detail)
    }

    private static func number(of id: UnsafeBufferPointer<UInt8>, in table: inout ByteStringTable) -> Int? {
        UserKey.withFolded(id) { table.numberInPlace(of: $0) }
    }

    private static func number(of id: UnsafeBufferPointer<UInt8>, in facts: inout CustomerFacts) -> Int? {
        UserKey.withFolded(id) { facts.users.numberInPlace(ofFolded: $0) }
    }

    private static func insert(
        _ id: UnsafeBufferPointer<UInt8>,
        into table: inout ByteStringTable
    ) -> (number: Int, inserted: Bool) {
        UserKey.withFolded(id) { table.insert($0) }
    }
}
