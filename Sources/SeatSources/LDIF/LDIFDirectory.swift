/// What resolution needs of one entry of the export, and nothing more: for a group its names, customer and members;
/// for a user its ids and whether AD disabled it.
struct LDIFEntry {
    /// The DN as the record wrote it (decoded, not normalised), for provenance and messages.
    var dn: String
    /// The line of the record's `dn:`.
    var line: Int

    /// A group class (`groupOfNames`, `groupOfUniqueNames`, `posixGroup`, AD `group`, `groupOfURLs`) or a member
    /// attribute made this entry a group.
    var isGroup = false
    /// A `groupOfURLs` whose `memberURL` members cannot be resolved from a file.
    var isDynamic = false
    /// The `cn` values.
    var names: [String] = []
    /// The values of the configured customer attribute.
    var customerValues: [String] = []
    /// `member` and `uniqueMember` values, numbered by the directory's ``DNTable``.
    var members: [Int32] = []
    /// `memberUid` values.
    var memberUids: [String] = []
    /// The relative id of an AD group (the last part of its `objectSid`): users whose `primaryGroupID` equals it
    /// are members that neither `member` nor `memberOf` lists.
    var relativeID: UInt32?

    /// The value of the configured user id attribute.
    var userID: String?
    /// The `uid` values: a `memberUid` may name any of them.
    var uids: [String] = []
    var uidNumber: String?
    /// AD `userAccountControl` has bit 0x2 set: the account takes no seat.
    var isDisabled = false
    var primaryGroupID: UInt32?
}

/// The part of an export that resolution needs: its entries, each found by the number of its normalised DN.
struct LDIFDirectory {
    /// Numbers for every DN that an entry or a member value named.
    var names = DNTable()
    /// Entries in file order.
    private(set) var entries: [LDIFEntry] = []
    /// The DN number of each of `entries`.
    private(set) var entryIDs: [Int32] = []
    /// For each DN number, the position of its entry in `entries`, or -1 when no record has that DN.
    private var positions: [Int32] = []

    /// The line of the first record with a DN, kept or not; nil for a file without entries.
    var firstEntryLine: Int?
    /// 389-ds replication conflict entries (`nsuniqueid=...+cn=editors,...`), skipped: the DN and line of each.
    var conflicts: [LDIFNote.SkippedEntry] = []

    /// Adds the entry of a record; no earlier entry may have its DN.
    mutating func add(_ entry: LDIFEntry, id: Int32) {
        precondition(position(of: id) == nil, "a repeated DN is refused before it is added")
        if positions.count <= Int(id) {
            positions.append(contentsOf: repeatElement(-1, count: names.count - positions.count))
        }
        positions[Int(id)] = Int32(entries.count)
        entries.append(entry)
        entryIDs.append(id)
    }

    /// Where in `entries` the entry with DN number `id` is, if a record had that DN.
    func position(of id: Int32) -> Int? {
        guard Int(id) < positions.count else { return nil }
        let position = positions[Int(id)]
        return position < 0 ? nil : Int(position)
    }
}
