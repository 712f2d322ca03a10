/// How to read one seat-snapshot source (the `json` source keys of the config).
public struct SnapshotOptions: Sendable, Hashable {
    /// Role value to feature code (`roles`), matched trimmed and case-insensitively; `nil` takes values as-is.
    /// Applies to users' `roles`; the keys of `counts` are feature codes already.
    public var roles: [String: String]?

    public init(roles: [String: String]? = nil) {
        self.roles = roles
    }
}
