import Foundation
import TestSupport
import Testing

@testable import SeatSources

/// A snapshot's customers decoded as they are parsed (`SnapshotCustomerStream`), those of the second half of the text
/// on another thread, counting lines and customers from where it starts: the reading must be the one a single
/// thread makes, with every line, path and error where it is in the file.
@Suite struct SnapshotCustomerStreamTests {
    static let roles = ["Editor": "editor", "Viewer": "viewer", "Owner": "admin"]

    /// A pretty-printed snapshot of `customers` customers of 40 users, over a megabyte from about 450 customers:
    /// every fifth id written with an escape, one to two roles per user, and line breaks written as LF, CR LF and
    /// CR alone, in both halves.
    static func snapshot(customers: Int) -> String {
        let breaks = ["\n", "\r\n", "\r"]
        let roles = [#"["Editor"]"#, #"["Viewer"]"#, #"["Owner", "Viewer"]"#]
        let list = (0..<customers).map { customer in
            let users = (0..<40).map { user in
                let id = user % 5 == 0 ? #"\u0075\#(user)-\#(customer)"# : "u\(user)-\(customer)"
                return #"{"id": "\#(id)@example.com", "roles": \#(roles[(customer + user) % 3])}"#
                    + breaks[(customer + user) % 3]
            }
            return #"{"customer": "c\#(customer)", "users": ["# + "\n" + users.joined(separator: ",    ") + "]}"
        }
        return #"{"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z", "sequence": 1,"#
            + "\n" + #""customers": ["# + "\n" + list.joined(separator: ",\n") + "\n]}\n"
    }

    /// The 1-based line of byte `offset` of `text`, counting LF, CR LF and lone CR as one line break each.
    static func line(at offset: String.UTF8View.Index, in text: String) -> Int {
        let before = text.utf8[..<offset]
        return 1
            + before.indices.count { index in
                before[index] == 0x0A
                    || (before[index] == 0x0D
                        && (before.index(after: index) == before.endIndex
                            || before[before.index(after: index)] != 0x0A))
            }
    }

    /// The line `fragment` first occurs on in `text`.
    static func line(of fragment: String, in text: String) throws -> Int {
        line(at: try #require(text.utf8.firstRange(of: fragment.utf8)).lowerBound, in: text)
    }

    /// Reads `text` as `seats.json` with the roles above, the second half on another thread or not.
    static func read(_ text: String, splitting: Bool, explaining: Bool = false) throws -> SourceReading {
        let dir = try TemporaryDirectory()
        var settings = SourceSettings(name: "hook", path: try dir.write("seats.json", text))
        settings.keepsExplanations = explaining
        return try SnapshotSource(settings: settings, options: SnapshotOptions(roles: roles), lastAppliedSequence: nil)
            .read(now: Date(), splitting: splitting)
    }

    /// Everything a reading says, one line per fact, customers and their counts sorted, users in the order
    /// listed; or the error, with the temporary directory left out.
    static func outcome(_ text: String, splitting: Bool, explaining: Bool) -> [String] {
        func place(_ at: Provenance) -> String { "line \(at.line) \(at.detail ?? "-")" }
        do {
            let reading = try read(text, splitting: splitting, explaining: explaining)
            var facts: [String] = []
            for (id, customer) in reading.customers.sorted(by: { $0.key < $1.key }) {
                facts.append("customer \(id)")
                for user in customer.users {
                    facts.append(
                        "  \(user.id): " + user.grants.map { "\($0.feature) \(place($0.at))" }.joined(separator: ", ")
                    )
                }
                for (feature, count) in customer.counts.sorted(by: { $0.key < $1.key }) {
                    facts.append("  count \(feature)=\(count.count) \(place(count.at))")
                }
                for skipped in reading.skippedUsers[id] ?? [] {
                    facts.append("  skipped \(skipped.id) \(skipped.reason) \(place(skipped.at))")
                }
            }
            facts += reading.unmappedRoles.sorted(by: { $0.key < $1.key }).map { "unmapped \($0.key) \($0.value)" }
            return facts
        } catch {
            return [
                "\(error)".replacingOccurrences(
                    of: #"/[^ ]*/seats\.json"#,
                    with: "seats.json",
                    options: .regularExpression
                )
            ]
        }
    }

    /// Input: the 1.2 MB snapshot above. Expected: it is large enough to be split, at a customer past the middle;
    /// and it reads with the split as without it, with and without explanations.
    @Test func theSnapshotIsSplitAndReadsAsOneThreadReadsIt() throws {
        let text = Self.snapshot(customers: 500)
        let bytes = Array(text.utf8)
        #expect(bytes.count > JSONArrayTail.minimumSize)
        let guess = try #require(bytes.withUnsafeBufferPointer { JSONArrayTail.guess(in: $0) })
        #expect(guess > bytes.count / 2)
        for explaining in [false, true] {
            let single = Self.outcome(text, splitting: false, explaining: explaining)
            #expect(single.count > 20_000)
            let split = Self.outcome(text, splitting: true, explaining: explaining)
            #expect(JSONArrayTailTests.firstDifference(split, single) == nil)
        }
    }

    /// The edits a writer's bugs and a webhook's data make to customer `customer` of the snapshot, each keeping the
    /// text valid JSON: pre-counted seats instead of users (the users kept under an unknown key), the id of
    /// customer `other`, a user without an id, an inactive user, an unmapped role, a user listed twice, an empty id,
    /// and a customer that is not an object.
    static func edit(_ text: String, kind: Int, customer: Int, other: Int) -> String {
        let opening = #"{"customer": "c\#(customer)", "users": ["#
        let replacements: [(String, String)] = [
            (opening, #"{"customer": "c\#(customer)", "counts": {"editor": 3, "viewer": 0}, "was": ["#),
            (#""customer": "c\#(customer)""#, #""customer": "c\#(other)""#),
            (#"{"id": "u1-\#(customer)@example.com", "#, #"{"ident": "u1", "#),
            (
                #""u2-\#(customer)@example.com", "roles": ["#,
                #""u2-\#(customer)@example.com", "active": false, "roles": ["#
            ),
            (#""u3-\#(customer)@example.com", "roles": ["#, #""u3-\#(customer)@example.com", "roles": ["Janitor", "#),
            (#""u4-\#(customer)@"#, #""u6-\#(customer)@"#),
            (#""customer": "c\#(customer)""#, #""customer": "  ""#),
            (opening, #"[{"customer": "c\#(customer)", "users": ["#),
        ]
        let (old, new) = replacements[kind % replacements.count]
        var edited = text
        if kind % replacements.count == 7 {
            // The customer becomes an array holding it: its users end on a line of their own.
            let start = edited.range(of: old)!
            let end = edited.range(
                of: #"[\r\n]\]\}"#,
                options: .regularExpression,
                range: start.upperBound..<edited.endIndex
            )!
            edited.replaceSubrange(end, with: edited[end] + "]")
        }
        return edited.replacingOccurrences(of: old, with: new)
    }

    /// Input: the 1.2 MB snapshot with 1 to 3 of the edits above, 40 times over, at customers chosen at random,
    /// three in four in the second half, where the other thread decodes; seeded, so that a failure can be made
    /// again. Expected: each text reads with the split as without it, with and without explanations, to the same
    /// facts at the same lines and paths, or to the same error; some still read, and some are refused.
    @Test func editedSnapshotsReadAsOneThreadReadsThem() {
        var random = CSVTokenizerTests.SplitMix(seed: 11)
        let customers = 500
        let original = Self.snapshot(customers: customers)
        var (read, refused) = (0, 0)
        for round in 0..<40 {
            var text = original
            for _ in 0...random.next(below: 3) {
                func pick() -> Int {
                    random.next(below: 4) == 0
                        ? random.next(below: customers) : customers / 2 + random.next(below: customers / 2)
                }
                text = Self.edit(text, kind: random.next(below: 8), customer: pick(), other: pick())
            }
            let explaining = round % 2 == 1
            let single = Self.outcome(text, splitting: false, explaining: explaining)
            if single.count > 1 { read += 1 } else { refused += 1 }
            let split = Self.outcome(text, splitting: true, explaining: explaining)
            #expect(JSONArrayTailTests.firstDifference(split, single) == nil, "round \(round)")
        }
        #expect(read >= 5)
        #expect(refused >= 5)
    }

    /// Input: the snapshot with customer 400 (decoded by the other thread) given customer 10's id. Expected, both
    /// ways: the refusal names customer 400 by its place in the whole array, the line of its id in the file, and
    /// customer 10.
    @Test func anIdRepeatedAcrossTheSplitIsRefusedWhereItIs() throws {
        let text = Self.edit(Self.snapshot(customers: 500), kind: 1, customer: 400, other: 10)
        let dir = try TemporaryDirectory()
        let path = try dir.write("seats.json", text)
        let expected = SnapshotError.invalid(
            file: path,
            line: try Self.line(of: #""c10", "users": ["# + "\n" + #"{"id": "\u00750-400@"#, in: text),
            path: "customers[400].customer",
            problem: #"customer "c10" is also at customers[10]"#
        )
        for splitting in [true, false] {
            let source = SnapshotSource(
                settings: SourceSettings(name: "hook", path: path),
                options: SnapshotOptions(roles: Self.roles),
                lastAppliedSequence: nil
            )
            #expect(throws: expected) { try source.read(now: Date(), splitting: splitting) }
        }
    }

    /// Input: the snapshot with customer 450 (past the split) given counts, and an inactive user in customer 460,
    /// read with explanations. Expected, both ways: the last user's grant, the counts and the skipped user each on
    /// the line the file has them, with paths that count customers from the start of the array.
    @Test func linesAndPathsPastTheSplitAreTheFilesOwn() throws {
        var text = Self.edit(Self.snapshot(customers: 500), kind: 0, customer: 450, other: 0)
        text = Self.edit(text, kind: 3, customer: 460, other: 0)
        for splitting in [true, false] {
            let reading = try Self.read(text, splitting: splitting, explaining: true)
            let last = try #require(reading.customers["c499"]?.users["u39-499@example.com"])
            #expect(last.grants.map(\.at.line) == [try Self.line(of: "u39-499@", in: text)])
            #expect(last.grants.map(\.at.detail) == ["customers[499].users[39]"])
            let counts = try #require(reading.customers["c450"]?.counts["editor"])
            #expect(counts.count == 3)
            #expect(counts.at.line == (try Self.line(of: #""c450", "counts""#, in: text)))
            #expect(counts.at.detail == "customers[450].counts.editor")
            let skipped = try #require(reading.skippedUsers["c460"]?.first)
            #expect(skipped.id == "u2-460@example.com")
            #expect(skipped.reason == .inactive)
            #expect(skipped.at.line == (try Self.line(of: "u2-460@", in: text)))
            #expect(skipped.at.detail == "customers[460].users[2]")
        }
    }
}
