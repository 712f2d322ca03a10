import Foundation
import SeatSources
import TestSupport
import Testing

@Suite struct SnapshotSourceTests {
    /// A snapshot as a webhook receiver writes it: users with roles, an inactive user, a pre-counted customer,
    /// and keys this version does not define.
    static let snapshot = #"""
        {
          "format": "seat-snapshot",
          "version": 1,
          "generated_at": "2026-11-25T12:00:00Z",
          "sequence": 1842,
          "receiver": {"name": "workos-bridge", "build": "1.4.2"},
          "customers": [
            {"customer": "acme", "users": [
              {"id": "u1", "roles": ["Editor", "viewer"], "active": true},
              {"id": "u2", "roles": ["viewer"], "email": "u2@acme.example"},
              {"id": "u3", "roles": ["editor"], "active": false},
              {"id": "u4", "roles": ["billing-contact"]}
            ]},
            {"customer": "globex", "counts": {"editor": 12, "viewer": 40}},
            {"customer": "initech", "users": []}
          ]
        }
        """#

    /// Input: the snapshot above. Expected: active users with mapped roles, counts with their lines,
    /// sequence and generated_at kept, the unmapped role reported, unknown keys ignored.
    @Test func readsUsersCountsAndInactiveUsers() throws {
        let reading = try readSnapshot(
            Self.snapshot,
            roles: ["editor": "editor", "viewer": "viewer"],
            lastAppliedSequence: 1842
        )
        #expect(
            reading.grantsByUser == [
                "acme": ["u1": ["editor", "viewer"], "u2": ["viewer"], "u4": []],
                "globex": [:],
                "initech": [:],
            ]
        )
        #expect(reading.countsByFeature == ["acme": [:], "globex": ["editor": 12, "viewer": 40], "initech": [:]])
        #expect(reading.unmappedRoles == ["billing-contact": 1])
        #expect(reading.sequence == 1842)
        #expect(reading.generatedAt == Date(timeIntervalSince1970: 1_795_608_000))
        #expect(reading.customers["acme"]!.users["u2"]!.grants[0].at.line == 10)
        #expect(reading.customers["globex"]!.counts["viewer"]!.at.line == 14)
        #expect(reading.customers["globex"]!.counts["viewer"]!.at.detail == "customers[1].counts.viewer")
    }

    /// Input: roles written plainly, padded and with escapes, repeated across users, customers and an inactive
    /// user; user ids padded or escaped; a role whose padding space is followed by a combining mark (one character
    /// with it). Expected: each role mapped as trimmed, however written; unmapped roles counted once per role of an
    /// active user, as trimmed; the space before the combining mark kept, as `trimmingASCIIWhitespace()` keeps it.
    @Test func readsRolesAndIdsHoweverWritten() throws {
        let text =
            Self.header
                + #"""
                 "customers": [
                  {"customer": "acme", "users": [
                    {"id": " u1 ", "roles": [" Editor", "\u0045ditor", "guest "]},
                    {"id": "\u0075\u0032", "roles": ["guest", "", "  "]},
                    {"id": "u3", "roles": ["guest", "nobody"], "active": false},
                    {"id": "u4", "roles": [" COMBINING", "viewer "]}]},
                  {"customer": "globex", "users": [{"id": "u1", "roles": ["  GUEST", "viewer"]}]}]}
                """#.replacingOccurrences(of: "COMBINING", with: "\u{301}guest")
        let reading = try readSnapshot(text, roles: ["editor": "editor", "viewer": "viewer"])
        #expect(
            reading.grantsByUser == [
                "acme": ["u1": ["editor"], "u2": [], "u4": ["viewer"]],
                "globex": ["u1": ["viewer"]],
            ]
        )
        #expect(reading.unmappedRoles == ["guest": 2, "GUEST": 1, " \u{301}guest": 1])
    }

    /// Input: the design's one-line example, without a role mapping and with fractional seconds and an offset.
    /// Expected: roles taken as-is.
    @Test func readsTheDesignExample() throws {
        let text = #"""
            {"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T13:00:00.250+01:00",
             "sequence": 0, "customers": [
               {"customer": "acme", "users": [{"id": "u1", "roles": ["editor"], "active": true}]},
               {"customer": "globex", "counts": {"editor": 12, "viewer": 40}}]}
            """#
        let reading = try readSnapshot(text)
        #expect(reading.grantsByUser == ["acme": ["u1": ["editor"]], "globex": [:]])
        #expect(reading.countsByFeature["globex"] == ["editor": 12, "viewer": 40])
        #expect(reading.generatedAt == Date(timeIntervalSince1970: 1_795_608_000.25))
    }

    /// Input: a snapshot listing no customers. Expected: refused as empty unless allowEmpty.
    @Test func noCustomersIsEmpty() throws {
        let text =
            #"{"format":"seat-snapshot","version":1,"generated_at":"2026-11-25T12:00:00Z","sequence":3,"customers":[]}"#
        let dir = try TemporaryDirectory()
        let path = try dir.write("seats.json", text)
        #expect(throws: SourceFileError.empty(file: path)) {
            try SnapshotSource(
                settings: SourceSettings(name: "hook", path: path),
                options: SnapshotOptions(),
                lastAppliedSequence: nil
            )
            .read(now: Date())
        }
        #expect(try readSnapshot(text, allowEmpty: true).customers.isEmpty)
    }

    /// Input: sequence 1841 after 1842 was applied. Expected: the typed replay error with both numbers.
    @Test func refusesAReplay() throws {
        let text = Self.snapshot.replacingOccurrences(of: "1842", with: "1841")
        let dir = try TemporaryDirectory()
        let path = try dir.write("seats.json", text)
        #expect(throws: SnapshotError.replay(file: path, sequence: 1841, lastApplied: 1842)) {
            try SnapshotSource(
                settings: SourceSettings(name: "hook", path: path),
                options: SnapshotOptions(),
                lastAppliedSequence: 1842
            )
            .read(now: Date())
        }
    }

    /// Input: the snapshot cut after every line but the last. Expected: truncated, naming the last line present.
    @Test(arguments: 1..<17)
    func refusesATruncatedFile(_ lines: Int) {
        let cut =
            Self.snapshot.split(separator: "\n", omittingEmptySubsequences: false).prefix(lines)
            .joined(separator: "\n") + "\n"
        #expect(
            snapshotErrorLine(cut)
                == "seats.json:\(lines): file ends mid-document (truncated; writers must write a temporary file "
                + "in the same folder and rename it into place)"
        )
    }

    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var text: String
        var error: String
        var testDescription: String { name }
    }

    static let header =
        #"{"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z", "sequence": 7,"#

    static let cases: [BadCase] = [
        BadCase(
            name: "unknown version",
            text: #"{"format": "seat-snapshot", "version": 2, "sequence": 1, "tenants": {}}"#,
            error: "seats.json: unsupported seat-snapshot version 2 (this seat-sync reads version 1)"
        ),
        BadCase(
            name: "another format",
            text: #"{"format": "scim-list", "version": 1}"#,
            error: #"seats.json:1: format: expected "seat-snapshot", found "scim-list""#
        ),
        BadCase(
            name: "version as a string",
            text: #"{"format": "seat-snapshot", "version": "1"}"#,
            error: "seats.json:1: version: expected a whole number, found a string"
        ),
        BadCase(
            name: "missing sequence",
            text:
                #"{"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z", "customers": []}"#,
            error: #"seats.json:1: missing "sequence""#
        ),
        BadCase(
            name: "negative sequence",
            text: #"{"format": "seat-snapshot", "version": 1, "sequence": -1}"#,
            error: "seats.json:1: sequence: -1 is negative"
        ),
        BadCase(
            name: "generated_at not ISO-8601",
            text: #"{"format": "seat-snapshot", "version": 1, "sequence": 7, "generated_at": "25.11.2026 12:00"}"#,
            error: #"seats.json:1: generated_at: expected an ISO-8601 date-time such as 2026-11-25T12:00:00Z, "#
                + #"found "25.11.2026 12:00""#
        ),
        BadCase(
            name: "both users and counts",
            text: header + "\n\"customers\": [\n{\"customer\": \"a\", \"users\": []},\n"
                + "{\"customer\": \"b\", \"users\": [], \"counts\": {}}]}",
            error: "seats.json:4: customers[1]: has both users and counts (a customer has one or the other)"
        ),
        BadCase(
            name: "neither users nor counts",
            text: header + #""customers": [{"customer": "a"}]}"#,
            error: "seats.json:1: customers[0]: has neither users nor counts"
        ),
        BadCase(
            name: "roles not an array",
            text: header + "\n\"customers\": [{\"customer\": \"a\", \"users\": [\n{\"id\": \"u1\", \"roles\": []},\n"
                + "{\"id\": \"u2\", \"roles\": \"editor\"}]}]}",
            error: "seats.json:4: customers[0].users[1].roles: expected an array, found a string"
        ),
        BadCase(
            name: "a role that is not a string",
            text: header + #""customers": [{"customer": "a", "users": [{"id": "u1", "roles": ["editor", 3]}]}]}"#,
            error: "seats.json:1: customers[0].users[0].roles[1]: expected a string, found a number"
        ),
        BadCase(
            name: "active as SCIM's string \"False\"",
            text: header
                + #""customers": [{"customer": "a", "users": [{"id": "u1", "roles": [], "active": "False"}]}]}"#,
            error: "seats.json:1: customers[0].users[0].active: expected true or false, found a string"
        ),
        BadCase(
            name: "missing user id",
            text: header + #""customers": [{"customer": "a", "users": [{"roles": ["editor"]}]}]}"#,
            error: #"seats.json:1: customers[0].users[0]: missing "id""#
        ),
        BadCase(
            name: "same user twice in other case",
            text: header
                + #""customers": [{"customer": "a", "users": [{"id": "Ann", "roles": []}, {"id": "ann", "roles": []}]}]}"#,
            error: #"seats.json:1: customers[0].users[1].id: user "ann" is also at customers[0].users[0]"#
        ),
        BadCase(
            name: "an active user repeating an inactive one",
            text: header + #""customers": [{"customer": "a", "users": [{"id": "ann", "roles": [], "active": false}, "#
                + #"{"id": "u2", "roles": []}, {"id": " ANN", "roles": ["editor"]}]}]}"#,
            error: #"seats.json:1: customers[0].users[2].id: user "ANN" is also at customers[0].users[0]"#
        ),
        BadCase(
            name: "an inactive user repeating an active one",
            text: header + #""customers": [{"customer": "a", "users": [{"id": "u1", "roles": []}, "#
                + #"{"id": "ann", "roles": []}, {"id": "Ann", "roles": [], "active": false}]}]}"#,
            error: #"seats.json:1: customers[0].users[2].id: user "Ann" is also at customers[0].users[1]"#
        ),
        BadCase(
            name: "two inactive users with one id, the second escaped",
            text: header + #""customers": [{"customer": "a", "users": [{"id": "ann", "roles": [], "active": false}, "#
                + #"{"id": "\u0061nn", "roles": [], "active": false}]}]}"#,
            error: #"seats.json:1: customers[0].users[1].id: user "ann" is also at customers[0].users[0]"#
        ),
        BadCase(
            name: "a tab escaped in a padded role",
            text: header
                + #""customers": [{"customer": "a", "users": [{"id": "u1", "roles": ["editor", "\teditor"]}]}]}"#,
            error: #"seats.json:1: customers[0].users[0].roles[1]: control character U+0009 in "\teditor""#
        ),
        BadCase(
            name: "same customer twice",
            text: header + #""customers": [{"customer": "a", "users": []}, {"customer": "a", "counts": {}}]}"#,
            error: #"seats.json:1: customers[1].customer: customer "a" is also at customers[0]"#
        ),
        BadCase(
            name: "negative count",
            text: header + #""customers": [{"customer": "a", "counts": {"editor": -2}}]}"#,
            error: "seats.json:1: customers[0].counts.editor: -2 is negative"
        ),
        BadCase(
            name: "fractional count",
            text: header + #""customers": [{"customer": "a", "counts": {"editor": 2.5}}]}"#,
            error: "seats.json:1: customers[0].counts.editor: expected a whole number, found 2.5"
        ),
        BadCase(
            name: "count beyond any seat count",
            text: header + #""customers": [{"customer": "a", "counts": {"editor": 3000000000}}]}"#,
            error: "seats.json:1: customers[0].counts.editor: 3000000000 is too large"
        ),
        BadCase(
            name: "feature counted twice once padded",
            text: header + #""customers": [{"customer": "a", "counts": {"editor": 1, " editor": 2}}]}"#,
            error: #"seats.json:1: customers[0].counts. editor: feature "editor" is also counted at "#
                + "customers[0].counts.editor"
        ),
        BadCase(
            name: "count as a string",
            text: header + #""customers": [{"customer": "a", "counts": {"editor": "12"}}]}"#,
            error: "seats.json:1: customers[0].counts.editor: expected a whole number, found a string"
        ),
        BadCase(
            name: "repeated key",
            text: "{\"format\": \"seat-snapshot\",\n \"version\": 1, \"format\": \"seat-snapshot\"}",
            error: #"seats.json:2:16: repeated key "format""#
        ),
        BadCase(
            name: "repeated key, once escaped",
            text: #"{"format": "seat-snapshot", "\u0066ormat": "seat-snapshot"}"#,
            error: #"seats.json:1:29: repeated key "format""#
        ),
        BadCase(
            name: "repeated key, composed and decomposed",
            text: "{\"caf\u{E9}\": 1, \"cafe\u{301}\": 2}",
            error: "seats.json:1:13: repeated key \"cafe\u{301}\""
        ),
        BadCase(
            name: "missing comma",
            text: "{\"format\": \"seat-snapshot\"\n \"version\": 1}",
            error: #"seats.json:2:2: expected ',' or '}' after the value of "format""#
        ),
        BadCase(
            name: "text after the document",
            text: header + #""customers": []}"# + "\n}",
            error: "seats.json:2:1: unexpected text after the JSON document"
        ),
        BadCase(
            name: "NUL in a user id (bob\\u0000 next to bob would be a second user)",
            text: header
                + #" "customers": [{"customer": "acme", "users": [{"id": "bob", "roles": []}, {"id": "bob\u0000", "roles": []}]}]}"#,
            error: #"seats.json:1: customers[0].users[1].id: control character U+0000 in "bob\u{0}""#
        ),
        BadCase(
            name: "DEL written as it is, unescaped, in a user id",
            text: header + #" "customers": [{"customer": "acme", "users": [{"id": "bob"# + "\u{7F}"
                + #"", "roles": []}]}]}"#,
            error: #"seats.json:1: customers[0].users[0].id: control character U+007F in "bob\u{7f}""#
        ),
        BadCase(
            name: "DEL written as it is, unescaped, in a role",
            text: header + #" "customers": [{"customer": "acme", "users": [{"id": "u1", "roles": ["edit"# + "\u{7F}"
                + #""]}]}]}"#,
            error: #"seats.json:1: customers[0].users[0].roles[0]: control character U+007F in "edit\u{7f}""#
        ),
        BadCase(
            name: "ESC in a customer id",
            text: header + #" "customers": [{"customer": "acme\u001b[2J", "counts": {}}]}"#,
            error: #"seats.json:1: customers[0].customer: control character U+001B in "acme\u{1b}[2J""#
        ),
        BadCase(
            name: "line break in a role",
            text: header + #" "customers": [{"customer": "acme", "users": [{"id": "u1", "roles": ["a\nb"]}]}]}"#,
            error: #"seats.json:1: customers[0].users[0].roles[0]: control character U+000A in "a\nb""#
        ),
        BadCase(
            name: "C1 control in a feature code",
            text: header + #" "customers": [{"customer": "acme", "counts": {"edit\u0085or": 1}}]}"#,
            error: #"seats.json:1: customers[0].counts.edit\u{85}or: control character U+0085 in "edit\u{85}or""#
        ),
        BadCase(
            name: "a 300-byte format is quoted to 100 bytes",
            text: #"{"format": ""# + String(repeating: "f", count: 300) + #"", "version": 1}"#,
            error: #"seats.json:1: format: expected "seat-snapshot", found ""# + String(repeating: "f", count: 100)
                + #"… (300 bytes)""#
        ),
        BadCase(
            name: "an unknown escape of a raw ESC is shown escaped",
            text: "{\"a\": \"x\\\u{1B}[2J\"}",
            error: #"seats.json:1:10: unknown escape \\u{1b}"#
        ),
        BadCase(
            name: "not an object",
            text: "[1, 2]",
            error: "seats.json:1: expected an object, found an array"
        ),
        BadCase(
            name: "empty file",
            text: "",
            error: "seats.json:1: file ends mid-document (truncated; writers must write a temporary file "
                + "in the same folder and rename it into place)"
        ),
    ]

    @Test(arguments: cases)
    func refusesInvalidSnapshot(_ bad: BadCase) {
        #expect(snapshotErrorLine(bad.text) == bad.error)
    }

    /// Input: a string holding a Latin-1 byte, as `M\u{FC}ller` and as `\tM\u{FC}ller` (with an escape, which the
    /// reader takes byte by byte rather than in one piece). Expected: refused either way, naming the string's position.
    @Test(arguments: [#"M"#, #"\tM"#])
    func refusesAStringThatIsNotUTF8(_ head: String) {
        let bytes =
            Array(#"{"format": "seat-snapshot", "x": ""#.utf8) + Array(head.utf8) + [0xFC]
            + Array(#"ller"}"#.utf8)
        let line = errorLine(bytes, named: "seats.json") { path in
            try SnapshotSource(
                settings: SourceSettings(name: "hook", path: path),
                options: SnapshotOptions(),
                lastAppliedSequence: nil
            )
            .read(now: Date())
        }
        #expect(line == "seats.json:1:34: string is not UTF-8")
    }

    /// A snapshot of `customers` customers `c0`, `c1`..., one per line from line 2, each listing users `u0` and
    /// `u1` as editors; `customerLine` replaces the line of the customer it is given.
    private static func snapshot(customers: Int, replacing customerLine: [Int: String] = [:]) -> String {
        let users = #"[{"id": "u0", "roles": ["editor"]}, {"id": "u1", "roles": ["editor"]}]"#
        let lines = (0..<customers).map { customerLine[$0] ?? #"{"customer": "c\#($0)", "users": \#(users)}"# }
        let head = #"{"format": "seat-snapshot", "version": 1, "sequence": 1, "generated_at": "2026-11-25T12:00:00Z""#
        return head + #", "customers": ["# + "\n" + lines.joined(separator: ",\n") + "\n]}"
    }

    /// Input: 100 customers, read in two halves on two threads, with a user without roles in customer 30 (first
    /// half) and in customer 80 (second half); then the same with only customer 80's; then customer 80's bad user
    /// and customer 90 repeating customer 0's id (an error found before the halves are read). Expected: each
    /// time the first error in the file, at its line.
    @Test func reportsTheFirstErrorInTheFileThoughCustomersAreReadInTwoParts() {
        let noRoles = { (index: Int) in #"{"customer": "c\#(index)", "users": [{"id": "u0"}]}"# }
        #expect(
            snapshotErrorLine(Self.snapshot(customers: 100, replacing: [30: noRoles(30), 80: noRoles(80)]))
                == #"seats.json:32: customers[30].users[0]: missing "roles""#
        )
        #expect(
            snapshotErrorLine(Self.snapshot(customers: 100, replacing: [80: noRoles(80)]))
                == #"seats.json:82: customers[80].users[0]: missing "roles""#
        )
        let repeated = #"{"customer": "c0", "users": []}"#
        #expect(
            snapshotErrorLine(Self.snapshot(customers: 100, replacing: [80: noRoles(80), 90: repeated]))
                == #"seats.json:82: customers[80].users[0]: missing "roles""#
        )
        #expect(
            snapshotErrorLine(Self.snapshot(customers: 100, replacing: [90: repeated]))
                == #"seats.json:92: customers[90].customer: customer "c0" is also at customers[0]"#
        )
    }

    /// Input: the 100 customers above, without errors. Expected: every customer with both users, each an editor,
    /// whichever half read it.
    @Test func readsEveryCustomerOfBothParts() throws {
        let reading = try readSnapshot(Self.snapshot(customers: 100))
        #expect(reading.customers.count == 100)
        for index in 0..<100 { #expect(reading.grantsByUser["c\(index)"] == ["u0": ["editor"], "u1": ["editor"]]) }
    }

    /// Input: a user object with 20 unknown keys, then "id" a second time (past the count where the parser stops
    /// scanning an object's keys and hashes them). Expected: the repeated key named at its column.
    @Test func refusesARepeatedKeyInAnObjectOfManyKeys() {
        let extra = (0..<20).map { #""x\#($0)": 0, "# }.joined()
        let prefix = #"{"format": "seat-snapshot", "customers": [{"customer": "a", "users": [{"id": "u1", "# + extra
        let text = prefix + #""id": "u2", "roles": []}]}]}"#
        #expect(snapshotErrorLine(text) == #"seats.json:1:\#(prefix.utf8.count + 1): repeated key "id""#)
    }

    /// Input: the snapshot above, read for an explanation. Expected: each grant names its user's entry by JSON
    /// path, which a one-line snapshot needs (every line is 1).
    @Test func anExplanationNamesEachGrantsEntry() throws {
        let dir = try TemporaryDirectory()
        var settings = SourceSettings(name: "hook", path: try dir.write("seats.json", Self.snapshot))
        settings.keepsExplanations = true
        let reading = try SnapshotSource(
            settings: settings,
            options: SnapshotOptions(roles: ["editor": "editor", "viewer": "viewer"]),
            lastAppliedSequence: nil
        ).read(now: Date())
        #expect(reading.customers["acme"]!.users["u2"]!.grants.map(\.at.detail) == ["customers[0].users[1]"])
        #expect(reading.skippedUsers["acme"]!.map(\.at.detail) == ["customers[0].users[2]", "customers[0].users[3]"])
    }

    /// Input: a user id of 200,000 bytes. Expected: refused at the string's line and column, quoting at most
    /// 100 bytes of it, in an error line under 300 bytes.
    @Test func refusesAnIdLongerThan64KiB() throws {
        let id = String(repeating: "u", count: 200_000)
        let text =
            Self.header + "\n" + #" "customers": [{"customer": "acme", "users": [{"id": ""# + id
            + #"", "roles": []}]}]}"#
        let line = try #require(snapshotErrorLine(text))
        #expect(
            line == "seats.json:2:54: string longer than 64 KiB (" + String(repeating: "u", count: 100)
                + "… (65537 bytes))"
        )
        #expect(line.utf8.count < 300)
    }

    /// Input: a number of 200,000 digits. Expected: refused at its position with a short error line.
    @Test func refusesANumberLongerThan64KiB() throws {
        let text =
            Self.header + #" "customers": [{"customer": "acme", "counts": {"editor": "#
            + String(repeating: "9", count: 200_000) + "}}]}"
        let line = try #require(snapshotErrorLine(text))
        #expect(line.hasPrefix("seats.json:1:154: number longer than 64 KiB (9999"))
        #expect(line.utf8.count < 300)
    }

    /// Input: a minified snapshot of about 1 MB on one line (20,000 users in 200 customers), then the same with a
    /// repeated key in the very last user. Expected: every user read with its role, and the repeated key named at
    /// its column on that one line. (Columns used to be counted for every key by rescanning the line, which made
    /// this shape quadratic; Benchmarks/sources/run measures its speed.)
    @Test func readsAOneLineMinifiedSnapshotOfAMegabyte() throws {
        let customers = (0..<200).map { customer in
            let users = (0..<100).map { user in #"{"id":"user-\#(customer)-\#(user)@example.com","roles":["editor"]}"# }
            return #"{"customer":"c\#(customer)","users":["# + users.joined(separator: ",") + "]}"
        }
        let head =
            #"{"format":"seat-snapshot","version":1,"generated_at":"2026-11-25T12:00:00Z","sequence":1,"customers":["#
        let text = head + customers.joined(separator: ",") + "]}"
        #expect(text.utf8.count > 1_000_000)
        #expect(!text.contains("\n"))
        let reading = try readSnapshot(text)
        #expect(reading.customers.count == 200)
        #expect(reading.customers.values.reduce(0) { $0 + $1.users.count } == 20_000)
        #expect(reading.grantsByUser["c199"]?["user-199-99@example.com"] == ["editor"])

        let repeated = String(text.dropLast(5)) + #","roles":[]}]}]}"#
        let column = repeated.utf8.count - #""roles":[]}]}]}"#.utf8.count + 1
        #expect(snapshotErrorLine(repeated) == #"seats.json:1:\#(column): repeated key "roles""#)
    }
}
