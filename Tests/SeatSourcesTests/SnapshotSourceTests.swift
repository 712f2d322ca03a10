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

    /// Input: a string holding a Latin-1 byte. Expected: refused, naming the string's position.
    @Test func refusesAStringThatIsNotUTF8() {
        let bytes = Array(#"{"format": "seat-snapshot", "x": "M"#.utf8) + [0xFC] + Array(#"ller"}"#.utf8)
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
}
