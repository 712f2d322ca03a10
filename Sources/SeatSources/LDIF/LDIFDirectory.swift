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
    /// Where the `member` and `uniqueMember` values are in ``LDIFDirectory/memberIDs``; set when the entry is
    /// added.
    var members: Range<Int> = 0..<0
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

extension LDIFEntry {
    /// The entry's DN split into its attribute-value pairs.
    /// - Throws: ``LDIFError/invalidDN(file:line:dn:reason:)``.
    func parsedDN(file: String) throws -> DNParser {
        var parser = DNParser()
        try parseDN(into: &parser, file: file)
        return parser
    }

    /// ``parsedDN(file:)`` into a parser kept between entries, which keeps its buffers: a new parser for each of
    /// the many-groups benchmark's 9,000 mapped groups grew its arrays five times over, a sixth of the instructions
    /// sorting the groups into batches took.
    func parseDN(into parser: inout DNParser, file: String) throws {
        var dn = dn
        do {
            try dn.withUTF8 { try parser.parse($0) }
        } catch let error as DNSyntaxError {
            throw LDIFError.invalidDN(file: file, line: line, dn: self.dn, reason: error.reason)
        }
    }
}

/// The part of an export that resolution needs: its entries, each found by the number of its normalised DN.
struct LDIFDirectory {
    /// Numbers for every DN that an entry or a numbered member value named, and the member values held unnumbered
    /// until reading ends (see ``add(_:id:numberingMembers:)``).
    var names = DNTable()
    /// Entries in file order.
    private(set) var entries: [LDIFEntry] = []
    /// The DN number of each of `entries`.
    private(set) var entryIDs: [Int32] = []
    /// For each DN number, the position of its entry in `entries`, or -1 when no record has that DN.
    private var positions: [Int32] = []
    /// The `member` and `uniqueMember` values of every entry, numbered by ``names``, back to back in file order:
    /// one array rather than one per group saves an allocation per group and the slack of doubling each (7.9 MB
    /// for the 4 MB of the many-groups benchmark's 1,000,000 values).
    private(set) var memberIDs: [Int32] = []
    /// Where the member values of the record being read start among the DNs that `names` holds.
    private var pendingMembers = 0
    /// The groups whose members are held in `names` rather than numbered (groups no mapping names): by entry
    /// position, which of the held DNs are theirs.
    private var heldMembers: [Int32: Range<Int>] = [:]

    /// The line of the first record with a DN, kept or not; nil for a file without entries.
    var firstEntryLine: Int?
    /// 389-ds replication conflict entries (`nsuniqueid=...+cn=editors,...`), skipped: the DN and line of each.
    var conflicts: [SourceNote.Item] = []

    /// Keeps the normalised DN of a member value of the record being read, for the entry
    /// ``add(_:id:numberingMembers:)`` adds next.
    mutating func appendMember(_ dn: UnsafeBufferPointer<UInt8>) {
        names.hold(dn)
    }

    /// Forgets the member values appended since the last entry was added: their record is not kept.
    mutating func discardPendingMembers() {
        names.releaseHeld(from: pendingMembers)
    }

    /// The `member` and `uniqueMember` values of `entry`.
    func members(of entry: LDIFEntry) -> ArraySlice<Int32> {
        memberIDs[entry.members]
    }

    /// Ends reading: numbers the members of the groups nested in groups whose members are numbered, then frees what
    /// only finding DNs by their bytes needs (see ``DNTable/dropIndex()``), the members still held, and the room
    /// the large arrays kept for growth. On the many-groups benchmark this took the heap peak, held while the grants
    /// are made, from 83.6 MB to 76.8 MB.
    mutating func finishReading() {
        numberNestedMembers()
        names.dropIndex()
        memberIDs = memberIDs.withExactCapacity()
        positions = positions.withExactCapacity()
    }

    /// Adds the entry of a record, with the member values appended since the last entry; no earlier entry may
    /// have its DN.
    /// - Parameter numberingMembers: whether the member values are numbered now, as a mapped group's must be; if
    ///   not, they stay held, and are numbered as reading finishes only if a group with numbered members holds
    ///   this one, directly or through other groups.
    mutating func add(_ entry: LDIFEntry, id: Int32, numberingMembers: Bool) {
        precondition(position(of: id) == nil, "a repeated DN is refused before it is added")
        var entry = entry
        let held = pendingMembers..<names.heldCount
        let start = memberIDs.count
        if numberingMembers {
            names.numberHeld(held, appendingTo: &memberIDs)
            names.releaseHeld(from: pendingMembers)
        } else {
            if !held.isEmpty { heldMembers[Int32(entries.count)] = held }
            pendingMembers = held.upperBound
        }
        entry.members = start..<memberIDs.count
        if positions.count <= Int(id) {
            positions.append(contentsOf: repeatElement(-1, count: names.count - positions.count))
        }
        positions[Int(id)] = Int32(entries.count)
        entries.append(entry)
        entryIDs.append(id)
    }

    /// Numbers the held members of every group that a group with numbered members names, and of the groups those
    /// name, and so on: each member value numbered is looked at once, the ones this numbers too.
    private mutating func numberNestedMembers() {
        var index = 0
        while !heldMembers.isEmpty, index < memberIDs.count {
            if let position = position(of: memberIDs[index]),
                let held = heldMembers.removeValue(forKey: Int32(position))
            {
                let start = memberIDs.count
                names.numberHeld(held, appendingTo: &memberIDs)
                entries[position].members = start..<memberIDs.count
            }
            index += 1
        }
        heldMembers = [:]
    }

    /// Where in `entries` the entry with DN number `id` is, if a record had that DN.
    func position(of id: Int32) -> Int? {
        guard Int(id) < positions.count else { return nil }
        let position = positions[Int(id)]
        return position < 0 ? nil : Int(position)
    }
}
