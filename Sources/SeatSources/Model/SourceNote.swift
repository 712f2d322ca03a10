/// A finding of a reader that does not stop the pass: `check-config` shows it and every pass logs it as a warning.
///
/// A reader says what it found, as values; how a note reads as a line of text is the report's
/// (`SourceNoteText` in SeatSync), and `check-config --output json` gives the same values structure.
package struct SourceNote: Sendable, Hashable {
    package enum Kind: String, Sendable, Hashable, CaseIterable {
        /// `groups:` keys that no group of the file is named: a typo would otherwise leave seats at zero unnoticed.
        /// Items: the keys, each with the group name it most likely meant as its alternative.
        case unmatchedGroupKeys = "unmatched_group_keys"
        /// User ids that several entries hold, each counted as one user. Items: the ids, with the entries' lines.
        case sharedUserIDs = "shared_user_ids"
        /// 389-ds replication conflict entries, skipped. Items: their DNs, with the line of each `dn:`.
        case replicationConflicts = "replication_conflicts"
        /// Members of mapped groups skipped as disabled (`userAccountControl` bit 0x2). No items: a count.
        case disabledUsers = "disabled_users"
        /// `memberUid` values that name no entry, counted by the uid itself. Items: the values.
        case unresolvedMemberUIDs = "unresolved_member_uids"
        /// Member DNs with no entry holding the user id attribute, counted by the normalised DN. Items: the DNs.
        case unresolvedMemberDNs = "unresolved_member_dns"
        /// A dynamic group (`memberURL`), whose URL members take no seat. One item: its DN; `line` is its entry's.
        case dynamicGroup = "dynamic_group"
        /// A customer written in several letter cases, counted as the first. One item: that spelling, with the
        /// others as its alternatives.
        case customerSpellings = "customer_spellings"
    }

    /// One thing a note names.
    package struct Item: Sendable, Hashable {
        /// A key, an id, a DN or a customer, as the file writes it.
        package var value: String
        /// The lines it stands on, where the note is about lines.
        package var lines: [Int]
        /// What it may have meant, or the other ways it is written.
        package var alternatives: [String]

        package init(_ value: String, lines: [Int] = [], alternatives: [String] = []) {
            self.value = value
            self.lines = lines
            self.alternatives = alternatives
        }
    }

    /// How many items a note names at most, so that it stays one readable line however many there are.
    package static let sampleSize = 10

    package var kind: Kind
    /// The name of the source it comes from; set when readings are merged, since a reader knows only its file.
    package var source: String?
    package var file: String
    /// The line the finding is on, when it is about one place.
    package var line: Int?
    /// The attribute it concerns (the user id attribute), where there is one.
    package var attribute: String?
    /// How many things it is about in all; `items` holds at most ``sampleSize`` of them.
    package var total: Int
    package var items: [Item]

    package init(
        _ kind: Kind,
        file: String,
        line: Int? = nil,
        attribute: String? = nil,
        total: Int? = nil,
        items: [Item] = []
    ) {
        self.kind = kind
        self.file = file
        self.line = line
        self.attribute = attribute
        self.total = total ?? items.count
        self.items = Array(items.prefix(Self.sampleSize))
    }
}
