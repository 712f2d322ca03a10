/// What resolution needs of one entry of the export, and nothing more: for a group its names, customer and members;
/// for a user its ids and whether AD disabled it. A DN that several records repeat (concatenated searches) is one
/// entry holding what all of them said.
struct LDIFEntry {
    /// The DN as the first record wrote it (decoded, not normalised), for provenance and messages.
    var dn: String
    /// The line of the first record's `dn:`.
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
    var uid: String?
    var uidNumber: String?
    /// AD `userAccountControl` has bit 0x2 set: the account takes no seat.
    var isDisabled = false
    var primaryGroupID: UInt32?

    /// Adds what a repeated record of the same DN says.
    mutating func merge(_ other: LDIFEntry) {
        isGroup = isGroup || other.isGroup
        isDynamic = isDynamic || other.isDynamic
        names += other.names
        customerValues += other.customerValues
        members += other.members
        memberUids += other.memberUids
        relativeID = relativeID ?? other.relativeID
        userID = userID ?? other.userID
        uid = uid ?? other.uid
        uidNumber = uidNumber ?? other.uidNumber
        isDisabled = isDisabled || other.isDisabled
        primaryGroupID = primaryGroupID ?? other.primaryGroupID
    }
}

/// The part of an export that resolution needs: entries keyed by the number of their normalised DN.
struct LDIFDirectory {
    /// Numbers for every DN that an entry or a member value named.
    var names = DNTable()
    var entries: [Int32: LDIFEntry] = [:]

    mutating func add(_ entry: LDIFEntry, id: Int32) {
        if entries[id] == nil {
            entries[id] = entry
        } else {
            entries[id]!.merge(entry)
        }
    }
}
