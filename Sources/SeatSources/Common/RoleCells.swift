/// Role values as a source writes them (trimmed), each mapped to a feature code once; the reader checks a role the
/// first time it is met (``feature(of:)`` says when).
///
/// Exports repeat a handful of role values on every row or user: mapping each once saves making, normalising and
/// looking up a `String` a million times. The CSV and JSON readers both take roles through it.
struct RoleCells {
    private let roles: ValueMapping
    /// The feature codes the roles map to, numbered as the reader grants them.
    private(set) var codes = FeatureCodes()
    private var cells = ByteStringTable()
    /// Per cell, the number of its feature code; `nil` when unmapped.
    private var features: [UInt32?] = []
    /// Per cell, how often it was counted unmapped.
    private var unmappedCounts: [Int] = []
    /// Unmapped roles met once the cache was full, with their counts.
    private var uncachedUnmapped: [String: Int] = [:]
    /// Bounds the cache for the odd export whose role column holds a distinct value per row.
    private static let limit = 4096

    init(_ roles: ValueMapping) {
        self.roles = roles
    }

    /// The number in ``codes`` of the feature code `role` maps to; `nil` when the mapping does not name it.
    /// - Parameter role: a role as written, trimmed, not empty (UTF-8).
    /// - Returns: the number, and whether `role` was not met before (or not kept, the cache being full): a reader
    ///   that checks roles (for control characters) checks those, and refuses the read if one fails.
    mutating func feature(of role: UnsafeBufferPointer<UInt8>) -> (feature: UInt32?, isNew: Bool) {
        if let cell = cells.number(of: role) { return (features[cell], false) }
        let feature = roles(String(decoding: role, as: UTF8.self)).map { codes.number(of: $0) }
        if cells.count < Self.limit {
            _ = cells.insert(role)
            features.append(feature)
            unmappedCounts.append(0)
        }
        return (feature, true)
    }

    /// Counts an occurrence of `role`, which ``feature(of:)`` found unmapped.
    mutating func countUnmapped(_ role: UnsafeBufferPointer<UInt8>) {
        if let cell = cells.number(of: role) {
            unmappedCounts[cell] += 1
        } else {
            uncachedUnmapped[String(decoding: role, as: UTF8.self), default: 0] += 1
        }
    }

    /// The unmapped roles counted, as written, with how often each occurred.
    var unmapped: [String: Int] {
        var unmapped = uncachedUnmapped
        for cell in unmappedCounts.indices where unmappedCounts[cell] > 0 {
            unmapped[cells.string(cell), default: 0] += unmappedCounts[cell]
        }
        return unmapped
    }
}
