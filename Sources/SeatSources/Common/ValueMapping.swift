import TextRules

/// A configured value rename, such as `roles` (role value to feature code) or `customers`.
///
/// Exports disagree on case and padding (`Editor`, ` editor `), so values are matched trimmed and
/// case-insensitively.
struct ValueMapping: Sendable {
    /// Normalised source value to configured value; `nil` when nothing is configured.
    private let table: [String: String]?

    init(_ mapping: [String: String]?) {
        table = mapping.map { mapping in
            var table: [String: String] = [:]
            // Sorted so that two keys equal after normalising resolve the same way on every run.
            for (value, renamed) in mapping.sorted(by: { $0.key < $1.key }) {
                let key = Self.normalise(value)
                if table[key] == nil { table[key] = renamed }
            }
            return table
        }
    }

    /// The configured value for `value`: the value itself (trimmed) when nothing is configured, `nil` when a
    /// mapping is configured and does not name it.
    func callAsFunction(_ value: String) -> String? {
        guard let table else { return value.trimmingASCIIWhitespace() }
        return table[Self.normalise(value)]
    }

    private static func normalise(_ value: String) -> String {
        value.trimmingASCIIWhitespace().lowercased()
    }
}
