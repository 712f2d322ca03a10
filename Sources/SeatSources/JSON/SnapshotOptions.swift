/// How to read one seat-snapshot source (the `json` source keys of the config).
package struct SnapshotOptions: Sendable, Hashable {
    /// Role value to feature code (`roles`), matched trimmed and case-insensitively; `nil` takes values as-is.
    /// Applies to users' `roles`; the keys of `counts` are feature codes already.
    package var roles: [String: String]?

    package init(roles: [String: String]? = nil) {
        self.roles = roles
    }
}
