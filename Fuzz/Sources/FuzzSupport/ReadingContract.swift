@testable package import SeatSources

/// What a reader promises about any reading it returns, whatever the input: the checks a harness runs on every
/// successful read.
package struct ReadingContract: Sendable {
    /// Which feature codes a user's grants may name.
    package enum Features: Sendable {
        /// Only the values of the configured mapping.
        case mapped(Set<String>)
        /// Any role value as written: non-empty, trimmed, and never holding the role separator that split it.
        case asWritten(separator: String?)
    }

    /// The configured source name the reading must carry.
    package var source: String
    /// The path the reader was given.
    package var file: String
    /// The highest line the input has.
    package var lastLine: Int
    /// What users' grants may name.
    package var features: Features
    /// Whether the reader documents users recorded with no seat (a row or entry whose roles map to nothing).
    package var usersMayHoldNoSeat: Bool
    /// Whether the reader documents customers with neither users nor counts (a mapped group with no members,
    /// a snapshot customer with no active user).
    package var customersMayBeBare: Bool
    /// Whether a reading with no customer is valid (`allow_empty`).
    package var allowEmpty: Bool

    /// - Parameters:
    ///   - settings: the reader's settings: a reading names their source and file, and is empty only where they
    ///     allow it.
    ///   - input: what the file holds.
    ///   - features: what users' grants may name.
    ///   - usersMayHoldNoSeat: whether the reader documents users recorded with no seat.
    ///   - customersMayBeBare: whether the reader documents customers with neither users nor counts.
    package init(
        settings: SourceSettings,
        input: FuzzInput,
        features: Features,
        usersMayHoldNoSeat: Bool,
        customersMayBeBare: Bool
    ) {
        source = settings.name
        file = settings.path
        lastLine = input.lastLine
        allowEmpty = settings.allowEmpty
        self.features = features
        self.usersMayHoldNoSeat = usersMayHoldNoSeat
        self.customersMayBeBare = customersMayBeBare
    }

    /// Traps on the first promise `reading` breaks.
    package func check(_ reading: SourceReading) {
        Invariant.require(reading.source == source, "reading names source \(reading.source), not \(source)")
        Invariant.require(reading.file == file, "reading names file \(reading.file), not \(file)")
        Invariant.require(allowEmpty || !reading.customers.isEmpty, "empty reading without allowEmpty")
        for (customer, facts) in reading.customers {
            Invariant.require(isTrimmedNonEmpty(customer), "customer id \(quoted(customer)) is empty or untrimmed")
            Invariant.require(
                facts.users.isEmpty || facts.counts.isEmpty,
                "customer \(quoted(customer)) has both users and counts"
            )
            Invariant.require(
                customersMayBeBare || !facts.users.isEmpty || !facts.counts.isEmpty,
                "customer \(quoted(customer)) has neither users nor counts"
            )
            for user in facts.users { check(user, in: facts.users, customer: customer) }
            for (feature, count) in facts.counts {
                Invariant.require(
                    isTrimmedNonEmpty(feature),
                    "counted feature \(quoted(feature)) is empty or untrimmed"
                )
                Invariant.require(
                    (0...Int(Int32.max)).contains(count.count),
                    "customer \(quoted(customer)) feature \(quoted(feature)) has count \(count.count)"
                )
                check(count.at, "count of \(quoted(feature)) in \(quoted(customer))")
            }
        }
        for (role, times) in reading.unmappedRoles {
            Invariant.require(!role.isEmpty && times >= 1, "unmapped role \(quoted(role)) seen \(times) times")
        }
        for note in reading.notes {
            Invariant.require(note.file == file, "note names another file: \(note)")
            Invariant.require(
                note.items.count <= SourceNote.sampleSize && note.total >= note.items.count,
                "note names more items than it counts, or more than a sample: \(note)"
            )
            Invariant.require(
                (note.line ?? 1) >= 1 && (note.line ?? 1) <= lastLine,
                "note on no line of the input: \(note)"
            )
        }
    }

    private func check(_ user: UserFacts, in table: UserTable, customer: String) {
        let who = "user \(quoted(user.id)) of \(quoted(customer))"
        Invariant.require(!user.id.isEmpty, "\(who) has an empty id")
        Invariant.require(table[user.id]?.id == user.id, "\(who) is not found under its own id")
        Invariant.require(
            table[UserKey.of(user.id)]?.id == user.id,
            "\(who) is not found under its case-folded id \(quoted(UserKey.of(user.id)))"
        )
        Invariant.require(usersMayHoldNoSeat || !user.grants.isEmpty, "\(who) holds no grant")
        var seen: Set<String> = []
        for grant in user.grants {
            Invariant.require(seen.insert(grant.feature).inserted, "\(who) holds \(quoted(grant.feature)) twice")
            switch features {
            case .mapped(let allowed):
                Invariant.require(allowed.contains(grant.feature), "\(who) holds unmapped \(quoted(grant.feature))")
            case .asWritten(let separator):
                Invariant.require(
                    isTrimmedNonEmpty(grant.feature) && !(separator.map { grant.feature.contains($0) } ?? false),
                    "\(who) holds \(quoted(grant.feature)), not a trimmed single role"
                )
            }
            check(grant.at, "\(who)'s grant of \(quoted(grant.feature))")
        }
    }

    private func check(_ provenance: Provenance, _ what: String) {
        Invariant.require(provenance.file == file, "\(what) comes from \(provenance.file), not \(file)")
        Invariant.require(
            (1...lastLine).contains(provenance.line),
            "\(what) comes from line \(provenance.line), outside 1...\(lastLine)"
        )
    }

    private func isTrimmedNonEmpty(_ text: String) -> Bool {
        let isSpace: (UInt8) -> Bool = { $0 == 0x20 || $0 == 0x09 || $0 == 0x0D || $0 == 0x0A }
        guard let first = text.utf8.first, let last = text.utf8.last else { return false }
        return !isSpace(first) && !isSpace(last)
    }

    /// Quoted with escapes, so that control characters the fuzzer puts in ids stay readable in a crash report.
    private func quoted(_ text: String) -> String { text.debugDescription }
}
