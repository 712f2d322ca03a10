/// A user a source lists for a customer but seats under no code, and why; kept only for `explain`
/// (``SourceSettings/keepsExplanations``).
package struct SkippedUser: Sendable, Hashable {
    package enum Reason: Sendable, Hashable {
        /// The role cell or roles hold no value a mapping names: the values as written (empty for none).
        case noMappedRole(String)
        /// A snapshot entry with `"active": false`.
        case inactive
        /// An AD account with `userAccountControl` bit 0x2, held by a mapped group.
        case disabled
    }

    /// The user id as the source writes it.
    package var id: String
    /// Where the source lists the user: the row, the snapshot entry, or the mapped group (and its nesting path).
    package var at: Provenance
    package var reason: Reason

    package init(id: String, at: Provenance, reason: Reason) {
        self.id = id
        self.at = at
        self.reason = reason
    }
}
