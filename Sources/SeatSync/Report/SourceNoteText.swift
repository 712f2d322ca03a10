package import SeatSources

/// How a ``SourceNote`` reads: one line naming the source (once merged), the file, and at most
/// ``SourceNote/sampleSize`` of the things it is about. The same line goes to `check-config` and to the
/// `source note` warning of every pass.
package enum SourceNoteText {
    package static func line(_ note: SourceNote) -> String {
        let prefix = note.source.map { "\($0): " } ?? ""
        return prefix + body(note)
    }

    private static func body(_ note: SourceNote) -> String {
        let file = note.file
        switch note.kind {
        case .unmatchedGroupKeys:
            let named = note.items.map { key in
                key.alternatives.first.map { "\(key.value) (did you mean \"\($0)\"?)" } ?? key.value
            }
            return "\(file): \(count(note.total, "groups: key")) no group in the file: \(sample(named, of: note.total))"
        case .sharedUserIDs:
            let named = note.items.map { shared in
                "\(InputExcerpt.quote(shared.value)) (lines \(shared.lines.map(String.init).joined(separator: ", ")))"
            }
            return "\(file): \(count(note.total, "\(note.attribute ?? "user id") value")) several entries, each "
                + "counted as one user: \(sample(named, of: note.total))"
        case .replicationConflicts:
            let named = note.items.map { "\(InputExcerpt.quote($0.value)) (line \($0.lines.first ?? 0))" }
            let skipped =
                note.total == 1 ? "1 replication conflict entry" : "\(note.total) replication conflict entries"
            return "\(file): skipped \(skipped) (nsuniqueid in the RDN): \(sample(named, of: note.total))"
        case .disabledUsers:
            let users = note.total == 1 ? "1 disabled user" : "\(note.total) disabled users"
            return "\(file): skipped \(users) (userAccountControl bit 0x2) in mapped groups"
        case .unresolvedMemberUIDs:
            return "\(file): \(count(note.total, "memberUid value")) no entry in the export; "
                + "counted by the uid itself: \(sample(note.items.map(\.value), of: note.total))"
        case .unresolvedMemberDNs:
            return "\(file): \(count(note.total, "member DN")) no entry with \(note.attribute ?? "uid") in the "
                + "export; counted by the normalised DN: \(sample(note.items.map(\.value), of: note.total))"
        case .dynamicGroup:
            return "\(file):\(note.line ?? 0): \(note.items.first?.value ?? "") is a dynamic group (memberURL); its "
                + "URL members cannot be resolved from a file and take no seat"
        case .customerSpellings:
            let customer = note.items.first?.value ?? ""
            let others = note.items.first?.alternatives.joined(separator: ", ") ?? ""
            return "\(file): customer \(customer) is also written \(others); counted as \(customer)"
        }
    }

    /// "1 member DN names", "2 member DNs name".
    private static func count(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun) names" : "\(count) \(noun)s name"
    }

    /// The items shown, and how many others there are.
    private static func sample(_ shown: [String], of total: Int) -> String {
        let text = shown.joined(separator: ", ")
        return total > shown.count ? "\(text) and \(total - shown.count) more" : text
    }
}
