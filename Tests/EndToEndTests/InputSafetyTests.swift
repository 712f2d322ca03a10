import CommetFake
import Foundation
import TestSupport
import Testing

/// Three sources feeding one pass: `users.csv` (acme), `groups.ldif` (globex, `max_age: 1h`) and `seats.json`
/// (initech). Each starts valid and asks for one more editor than Commet holds.
struct InputScenario {
    static let balances = ["acme": ["editor": 2], "globex": ["editor": 2], "initech": ["editor": 2]]
    static let sources = """
          - name: directory
            type: ldif
            path: groups.ldif
            customer: {rdn: o}
            groups: {editors: editor}
            max_age: 1h
          - name: hook
            type: json
            path: seats.json
        """
    static let ldif = """
        version: 1

        dn: uid=ann,ou=people,o=globex,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: ann

        dn: uid=ben,ou=people,o=globex,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: ben

        dn: uid=cat,ou=people,o=globex,dc=example,dc=com
        objectClass: inetOrgPerson
        uid: cat

        dn: cn=editors,ou=groups,o=globex,dc=example,dc=com
        objectClass: groupOfNames
        cn: editors
        member: uid=ann,ou=people,o=globex,dc=example,dc=com
        member: uid=ben,ou=people,o=globex,dc=example,dc=com
        member: uid=cat,ou=people,o=globex,dc=example,dc=com

        """

    static func snapshot(sequence: Int) -> String {
        """
        {"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z",
         "sequence": \(sequence),
         "customers": [
          {"customer": "initech", "counts": {"editor": 3}}
         ]}

        """
    }

    let setup: ReconcileSetup

    init(hrOptions: String = "") throws {
        setup = try ReconcileSetup(customers: Self.balances, hrOptions: hrOptions, sources: Self.sources)
        try setup.writeUsers(["acme": ["editor": 3]])
        try write("groups.ldif", Self.ldif)
        try write("seats.json", Self.snapshot(sequence: 7))
    }

    func write(_ name: String, _ text: String) throws {
        try setup.folder.write(name, text)
    }

    func path(_ name: String) -> String { setup.folder.path + "/" + name }

    /// `text` cut just after the first `marker` that follows `after`, as a writer stopped mid-file leaves it.
    static func cut(_ text: String, after anchor: String, keeping marker: String) -> (text: String, lastLine: Int) {
        let start = text.range(of: anchor)!.upperBound
        let end = text.range(of: marker, range: start..<text.endIndex)!.upperBound
        let kept = String(text[..<end])
        return (kept, kept.split(separator: "\n", omittingEmptySubsequences: false).count)
    }
}

/// One bad input and the single error line it must give.
struct BadInput: Sendable, CustomTestStringConvertible {
    var name: String
    /// Turns the valid scenario into the bad one; returns the exact error the pass must report.
    var prepare: @Sendable (InputScenario) async throws -> String
    var testDescription: String { name }
}

@Suite struct InputSafetyTests {
    @Test func theValidScenarioWritesAllThreeCustomers() async throws {
        // Input: all three sources valid. Expected: exit 0 and one applied setAll per customer, so that the zero
        // writes of the bad-input rows below are the inputs' doing.
        let scenario = try InputScenario()
        defer { scenario.setup.fake.stop() }
        let run = try await scenario.setup.pass()
        #expect(run.status == 0, "\(run.stdout)\n\(run.stderr)")
        #expect(scenario.setup.writes.compactMap(\.customerID).sorted() == ["acme", "globex", "initech"])
        #expect(scenario.setup.writes.allSatisfy { $0.applied })
    }

    static let badInputs: [BadInput] = [
        BadInput(name: "users.csv cut mid-row") { scenario in
            let full = try String(contentsOfFile: scenario.path("users.csv"), encoding: .utf8)
            let (text, line) = InputScenario.cut(full, after: "editor2@", keeping: "acme,editor3@acme")
            try scenario.write("users.csv", text)
            return "\(scenario.path("users.csv")):\(line):1: row has 2 fields, header has 3"
        },
        BadInput(name: "users.csv cut inside a quoted field") { scenario in
            try scenario.write("users.csv", "customer,email,role\nacme,a@acme.example,editor\nacme,\"b@acme.exa")
            return "\(scenario.path("users.csv")):3:6: unterminated quoted field"
        },
        BadInput(name: "groups.ldif cut mid-line") { scenario in
            let (text, line) = InputScenario.cut(
                InputScenario.ldif,
                after: "uid=ben,ou=people,o=globex",
                keeping: "memb"
            )
            try scenario.write("groups.ldif", text)
            return "\(scenario.path("groups.ldif")):\(line): file ends mid-record (line has no ':' between attribute "
                + "and value); the export was cut short or is still being written"
        },
        BadInput(name: "seats.json cut mid-document") { scenario in
            let full = InputScenario.snapshot(sequence: 8)
            let (text, line) = InputScenario.cut(full, after: "initech", keeping: "\"editor\": ")
            try scenario.write("seats.json", text)
            return "\(scenario.path("seats.json")):\(line): file ends mid-document (truncated; writers must write a "
                + "temporary file in the same folder and rename it into place)"
        },
        BadInput(name: "users.csv with a header and no rows, allow_empty unset") { scenario in
            try scenario.write("users.csv", "customer,email,role\n")
            return "\(scenario.path("users.csv")): holds no records; set allow_empty: true if an empty source is "
                + "really meant"
        },
        BadInput(name: "groups.ldif last written 2 hours ago, max_age 1h") { scenario in
            let modified = Date(timeIntervalSince1970: (Date().timeIntervalSince1970 - 7_200).rounded(.down))
            try FileManager.default.setAttributes(
                [.modificationDate: modified],
                ofItemAtPath: scenario.path("groups.ldif")
            )
            return "\(scenario.path("groups.ldif")): stale: last modified \(modified.formatted(.iso8601)), "
                + "older than max_age 1h"
        },
        BadInput(name: "seats.json replayed: sequence 6 after 7 was applied") { scenario in
            let applied = try await scenario.setup.pass()
            #expect(applied.status == 0)
            scenario.setup.fake.resetLedger()
            try scenario.write("seats.json", InputScenario.snapshot(sequence: 6))
            return "\(scenario.path("seats.json")): sequence 6 is lower than the last applied sequence 7; refusing a "
                + "replayed snapshot"
        },
    ]

    @Test(arguments: badInputs)
    func aBadInputAbortsThePassBeforeAnyCommetCall(_ row: BadInput) async throws {
        // Input: the valid scenario with one source made bad as the row says.
        // Expected: exit 1, not one request to Commet, the exact error on stdout, and exactly one error log line
        // (besides the pass summary), naming the file and the line.
        let scenario = try InputScenario()
        defer { scenario.setup.fake.stop() }
        let error = try await row.prepare(scenario)
        let before = ["acme", "globex", "initech"].map { scenario.setup.fake.balances(of: $0) }

        let run = try await scenario.setup.pass()
        #expect(run.status == 1)
        #expect(scenario.setup.fake.ledger.isEmpty)
        #expect(["acme", "globex", "initech"].map { scenario.setup.fake.balances(of: $0) } == before)
        #expect(run.stdout == "pass aborted before any Commet call: \(error)\n")
        let errors = FaultMatrixTests.errorLines(in: run.stderr)
        #expect(errors.count == 1, "\(run.stderr)")
        let location = error.prefix { $0 != " " }
        #expect(errors.first?.contains("msg=\"pass aborted\"") == true)
        #expect(errors.first?.contains("error=\"\(location)") == true, "\(errors)")
        FaultMatrixTests.expectNoKey(in: run)
    }

    @Test func aTenfoldDropInUsersIsHeldWithOneErrorLine() async throws {
        // Input: Commet holds 30 acme editors (an earlier, complete users.csv); the new users.csv lists 3.
        // Expected: exit 3; acme untouched (no setAll for it at all), the other customers' increases applied;
        // exactly one error line, saying what was held and how to approve it.
        let scenario = try InputScenario()
        defer { scenario.setup.fake.stop() }
        scenario.setup.fake.setBalance(customer: "acme", feature: "editor", count: 30)

        let run = try await scenario.setup.pass()
        #expect(run.status == 3)
        #expect(scenario.setup.fake.balances(of: "acme") == ["editor": 30])
        #expect(scenario.setup.writes.compactMap(\.customerID).sorted() == ["globex", "initech"])
        #expect(scenario.setup.writes.allSatisfy { write in write.seats.allSatisfy { $0.value == 3 } })
        let errors = FaultMatrixTests.errorLines(in: run.stderr)
        #expect(errors.count == 1, "\(run.stderr)")
        #expect(errors.first?.contains("msg=\"changes held by the guard\"") == true)
        #expect(errors.first?.contains("held_seats=27") == true)
        #expect(errors.first?.contains("review with seat-sync held, then seat-sync --once --allow-decrease=") == true)
        FaultMatrixTests.expectNoKey(in: run)
    }
}
