/// A finding of the LDIF reader that does not stop the pass; each reads as one line naming the file, shown by
/// `check-config` and logged as a warning on every pass.
enum LDIFNote: CustomStringConvertible {
    /// A `groups:` key that no group of the file is named, with the group name it most likely meant.
    struct UnmatchedKey {
        var key: String
        var suggestion: String?
    }

    /// A user id that several user entries hold, and the lines of those entries.
    struct SharedUserID {
        var id: String
        var lines: [Int]
    }

    /// An entry skipped, and the line of its `dn:`.
    struct SkippedEntry {
        var dn: String
        var line: Int
    }

    /// `groups:` keys that match no group: a typo would otherwise leave a customer's seats at zero unnoticed.
    case unmatchedGroupKeys(file: String, keys: [UnmatchedKey])
    /// User ids held by several entries, each counted as one user: the entries are merged into one seat.
    case sharedUserIDs(file: String, attribute: String, ids: [SharedUserID])
    /// 389-ds replication conflict entries, skipped: they duplicate an entry, not another group or user.
    case replicationConflicts(file: String, entries: [SkippedEntry])

    var description: String {
        switch self {
        case .unmatchedGroupKeys(let file, let keys):
            let named = keys.prefix(Self.sampleSize).map { key in
                key.suggestion.map { "\(key.key) (did you mean \"\($0)\"?)" } ?? key.key
            }
            return "\(file): \(Self.count(keys.count, "groups: key")) no group in the file: "
                + Self.sample(named, of: keys.count)
        case .sharedUserIDs(let file, let attribute, let ids):
            let named = ids.prefix(Self.sampleSize).map { shared in
                "\(InputExcerpt.quote(shared.id)) (lines \(shared.lines.map(String.init).joined(separator: ", ")))"
            }
            return "\(file): \(Self.count(ids.count, "\(attribute) value")) several entries, each counted as one "
                + "user: \(Self.sample(named, of: ids.count))"
        case .replicationConflicts(let file, let entries):
            let named = entries.prefix(Self.sampleSize).map { "\(InputExcerpt.quote($0.dn)) (line \($0.line))" }
            let skipped =
                entries.count == 1 ? "1 replication conflict entry" : "\(entries.count) replication conflict entries"
            return "\(file): skipped \(skipped) (nsuniqueid in the RDN): \(Self.sample(named, of: entries.count))"
        }
    }

    /// How many items a note names, so that it stays one readable line however many there are.
    static let sampleSize = 10

    /// "1 member DN names", "2 member DNs name".
    static func count(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun) names" : "\(count) \(noun)s name"
    }

    /// The items shown, and how many others there are.
    static func sample(_ shown: some Sequence<String>, of total: Int) -> String {
        let text = shown.joined(separator: ", ")
        return total > sampleSize ? "\(text) and \(total - sampleSize) more" : text
    }
}
