import Foundation
import SeatSources
import TestSupport
import Testing

@Suite struct SeatMergerTests {
    /// A reading of `source` from `file` where each entry is (customer, user, feature codes, line).
    static func users(_ source: String, _ file: String, _ rows: [(String, String, [String], Int)]) -> SourceReading {
        var reading = SourceReading(source: source, file: file)
        for (customer, user, features, line) in rows {
            reading.customers[customer, default: CustomerFacts()].add(user: user)
            for feature in features {
                reading.customers[customer]!.grant(user: user, feature: feature, at: Provenance(file: file, line: line))
            }
        }
        return reading
    }

    /// A reading of `source` from `file` where each entry is (customer, feature code, count, line).
    static func counts(_ source: String, _ file: String, _ rows: [(String, String, Int, Int)]) -> SourceReading {
        var reading = SourceReading(source: source, file: file)
        for (customer, feature, count, line) in rows {
            reading.customers[customer, default: CustomerFacts()].counts[feature] = CountFact(
                count: count,
                at: Provenance(file: file, line: line)
            )
        }
        return reading
    }

    static let precedence = MergePolicy(rolePrecedence: ["admin", "editor", "viewer"])

    /// Input: two sources listing editors of acme, one user in both with ids differing in case.
    /// Expected: each user counted once; why names both sources and the overlap.
    @Test func unitesUsersAcrossSourcesCaseInsensitively() throws {
        let hr = Self.users(
            "hr",
            "/in/users.csv",
            [
                ("acme", "Ana@acme.example", ["editor"], 2), ("acme", "bo@acme.example", ["editor"], 3),
                ("acme", "cy@acme.example", ["editor"], 4),
            ]
        )
        let directory = Self.users(
            "directory",
            "/in/groups.ldif",
            [("acme", "ana@ACME.example", ["editor"], 10), ("acme", "dee@acme.example", ["editor"], 11)]
        )
        let desired = try SeatMerger.merge([hr, directory], policy: Self.precedence)
        #expect(
            desired.customers["acme"]?["editor"]
                == DesiredCount(count: 4, why: "4 users (hr 3, directory 2; 1 in both)")
        )
    }

    /// Input: users holding several codes, across sources. Expected: one seat each, under the first code in
    /// precedence, then unlisted codes alphabetically; why says where the other holders went.
    @Test func seatsAUserOnceUnderTheFirstCodeInPrecedence() throws {
        let hr = Self.users(
            "hr",
            "/in/users.csv",
            [
                ("acme", "ana", ["editor", "viewer"], 2), ("acme", "bo", ["viewer"], 3),
                ("acme", "cy", ["billing", "auditor"], 4),
            ]
        )
        let directory = Self.users("directory", "/in/groups.ldif", [("acme", "ANA", ["admin"], 7)])
        let desired = try SeatMerger.merge([hr, directory], policy: Self.precedence)
        #expect(
            desired.customers["acme"] == [
                "admin": DesiredCount(count: 1, why: "1 user (directory)"),
                "editor": DesiredCount(count: 0, why: "0 users; 1 counted under admin"),
                "viewer": DesiredCount(count: 1, why: "1 user (hr); 1 counted under admin"),
                "auditor": DesiredCount(count: 1, why: "1 user (hr)"),
                "billing": DesiredCount(count: 0, why: "0 users; 1 counted under auditor"),
            ]
        )
    }

    /// Input: the same users with `every_role_takes_a_seat`. Expected: a seat under every code held.
    @Test func everyRoleModeSeatsEveryCode() throws {
        let hr = Self.users(
            "hr",
            "/in/users.csv",
            [("acme", "ana", ["editor", "viewer"], 2), ("acme", "bo", ["viewer"], 3)]
        )
        let directory = Self.users("directory", "/in/groups.ldif", [("acme", "ANA", ["admin", "viewer"], 7)])
        var policy = Self.precedence
        policy.everyRoleTakesASeat = true
        let desired = try SeatMerger.merge([hr, directory], policy: policy)
        #expect(
            desired.customers["acme"] == [
                "admin": DesiredCount(count: 1, why: "1 user (directory)"),
                "editor": DesiredCount(count: 1, why: "1 user (hr)"),
                "viewer": DesiredCount(count: 2, why: "2 users (hr 2, directory 1; 1 in both)"),
            ]
        )
    }

    /// Input: mapped codes admin/editor/viewer, a code only acme's source yields, and a customer with no users.
    /// Expected: every customer gets every managed code, 0 where nothing grants it.
    @Test func zeroFillsManagedCodesForEveryCustomer() throws {
        var hr = Self.users(
            "hr",
            "/in/users.csv",
            [("acme", "ana", ["editor"], 2), ("acme", "bo", ["billing"], 3), ("globex", "cy", ["viewer"], 4)]
        )
        hr.customers["initech"] = CustomerFacts()
        let hook = Self.counts("hook", "/in/seats.json", [("umbrella", "viewer", 40, 14)])
        let policy = MergePolicy(
            rolePrecedence: ["admin", "editor", "viewer"],
            mappedFeatures: ["admin", "editor", "viewer"]
        )
        let desired = try SeatMerger.merge([hr, hook], policy: policy)
        #expect(desired.managedFeatures == ["admin", "editor", "viewer", "billing"])
        let none = "no source grants it"
        #expect(
            desired.customers == [
                "acme": [
                    "admin": DesiredCount(count: 0, why: none), "editor": DesiredCount(count: 1, why: "1 user (hr)"),
                    "viewer": DesiredCount(count: 0, why: none), "billing": DesiredCount(count: 1, why: "1 user (hr)"),
                ],
                "globex": [
                    "admin": DesiredCount(count: 0, why: none), "editor": DesiredCount(count: 0, why: none),
                    "viewer": DesiredCount(count: 1, why: "1 user (hr)"), "billing": DesiredCount(count: 0, why: none),
                ],
                "initech": [
                    "admin": DesiredCount(count: 0, why: none), "editor": DesiredCount(count: 0, why: none),
                    "viewer": DesiredCount(count: 0, why: none), "billing": DesiredCount(count: 0, why: none),
                ],
                "umbrella": [
                    "admin": DesiredCount(count: 0, why: none), "editor": DesiredCount(count: 0, why: none),
                    "viewer": DesiredCount(count: 40, why: "counted 40 at seats.json:14"),
                    "billing": DesiredCount(count: 0, why: none),
                ],
            ]
        )
    }

    /// Input: pre-counts and users for different codes of one customer. Expected: both stand, nothing added.
    @Test func preCountsBesideListedUsersOfOtherCodes() throws {
        let hook = Self.counts("hook", "/in/seats.json", [("acme", "viewer", 40, 3)])
        let hr = Self.users("hr", "/in/users.csv", [("acme", "ana", ["editor"], 2)])
        let desired = try SeatMerger.merge([hook, hr], policy: Self.precedence)
        #expect(desired.customers["acme"]?["viewer"] == DesiredCount(count: 40, why: "counted 40 at seats.json:3"))
        #expect(desired.customers["acme"]?["editor"] == DesiredCount(count: 1, why: "1 user (hr)"))
    }

    /// Input: unmapped roles and notes from two sources. Expected: roles summed, each note naming its source.
    @Test func collectsUnmappedRolesAndNotes() throws {
        let disabled = SourceNote(.disabledUsers, file: "/in/users.ldif", total: 3)
        let unresolved = SourceNote(.unresolvedMemberUIDs, file: "/in/groups.ldif", items: [SourceNote.Item("bob")])
        var hr = SourceReading(source: "hr", file: "/in/users.ldif", unmappedRoles: ["guest": 2, "intern": 1])
        hr.notes = [disabled]
        let directory = SourceReading(
            source: "directory",
            file: "/in/groups.ldif",
            unmappedRoles: ["guest": 5],
            notes: [unresolved]
        )
        let desired = try SeatMerger.merge([hr, directory], policy: Self.precedence)
        #expect(desired.unmappedRoles == ["guest": 7, "intern": 1])
        #expect(desired.notes.map(\.source) == ["hr", "directory"])
        #expect(desired.notes.map(\.kind) == [.disabledUsers, .unresolvedMemberUIDs])
        #expect(desired.notes.map(\.items) == [[], [SourceNote.Item("bob")]])
    }

    struct ConflictCase: Sendable, CustomTestStringConvertible {
        var name: String
        var readings: [SourceReading]
        var error: MergeError
        var message: String
        var testDescription: String { name }
    }

    static let conflicts: [ConflictCase] = [
        ConflictCase(
            name: "two sources pre-count acme/editor",
            readings: [
                counts("hook", "/in/seats.json", [("acme", "editor", 12, 3)]),
                counts("counts", "/in/seats.csv", [("globex", "editor", 1, 2), ("acme", "editor", 9, 7)]),
            ],
            error: .countedTwice(
                customer: "acme",
                feature: "editor",
                first: FactOrigin(source: "hook", at: Provenance(file: "/in/seats.json", line: 3)),
                second: FactOrigin(source: "counts", at: Provenance(file: "/in/seats.csv", line: 7))
            ),
            message: #"customer "acme" feature "editor" is pre-counted twice, by hook at /in/seats.json:3 and by "#
                + "counts at /in/seats.csv:7; pre-counted seats are never added together"
        ),
        ConflictCase(
            name: "one source pre-counts acme/editor, another lists editors",
            readings: [
                users("hr", "/in/users.csv", [("acme", "bo", ["editor"], 9), ("acme", "ana", ["editor"], 4)]),
                counts("hook", "/in/seats.json", [("acme", "editor", 12, 3)]),
            ],
            error: .countedAndListed(
                customer: "acme",
                feature: "editor",
                count: FactOrigin(source: "hook", at: Provenance(file: "/in/seats.json", line: 3)),
                user: FactOrigin(source: "hr", at: Provenance(file: "/in/users.csv", line: 4))
            ),
            message: #"customer "acme" feature "editor" is pre-counted by hook at /in/seats.json:3 and granted to "#
                + "users by hr at /in/users.csv:4; a feature is either counted or listed for a customer, not both"
        ),
    ]

    /// Input: colliding pre-counts. Expected: the merge fails naming both sources and locations.
    @Test(arguments: conflicts)
    func refusesConflictingPreCounts(_ conflict: ConflictCase) {
        let error = #expect(throws: MergeError.self) {
            try SeatMerger.merge(conflict.readings, policy: Self.precedence)
        }
        #expect(error == conflict.error)
        #expect(error.map(String.init(describing:)) == conflict.message)
    }

    /// Input: a real CSV export and a real seat snapshot naming the same customer. Expected: the union of users,
    /// seated by precedence, with the snapshot's inactive user taking no seat.
    @Test func mergesRealFiles() throws {
        let dir = try TemporaryDirectory()
        let csv = try dir.write(
            "users.csv",
            "customer,email,role\r\nacme,Ana@acme.example,Editor\r\nacme,bo@acme.example,Viewer\r\n"
        )
        let json = try dir.write(
            "seats.json",
            #"""
            {"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z", "sequence": 5,
             "customers": [{"customer": "acme", "users": [
               {"id": "ana@acme.example", "roles": ["admin"]},
               {"id": "cy@acme.example", "roles": ["editor"], "active": false}]},
               {"customer": "globex", "counts": {"viewer": 3}}]}
            """#
        )
        let readings = [
            try CSVSource(
                settings: SourceSettings(name: "hr", path: csv),
                options: CSVOptions(
                    columns: .users(customer: "customer", user: "email", role: "role"),
                    roles: ["Editor": "editor", "Viewer": "viewer"]
                )
            ).read(now: Date()),
            try SnapshotSource(
                settings: SourceSettings(name: "hook", path: json),
                options: SnapshotOptions(),
                lastAppliedSequence: 4
            ).read(now: Date()),
        ]
        let policy = MergePolicy(rolePrecedence: ["admin", "editor", "viewer"], mappedFeatures: ["editor", "viewer"])
        let desired = try SeatMerger.merge(readings, policy: policy)
        #expect(
            desired.customers.mapValues { $0.mapValues(\.count) } == [
                "acme": ["admin": 1, "editor": 0, "viewer": 1],
                "globex": ["admin": 0, "editor": 0, "viewer": 3],
            ]
        )
        #expect(desired.customers["acme"]?["editor"]?.why == "0 users; 1 counted under admin")
    }
}

extension SeatMergerTests {
    /// Input: three sources (ana in the first and third, bo in all three, cy in the third alone, dee in the first)
    /// and a fourth reading under the first source's name that lists dee again.
    /// Expected: four users; each source named once; dee, listed twice by one source, is in one source only.
    @Test func unitesUsersAcrossThreeSourcesAndRepeatedNames() throws {
        let hr = Self.users(
            "hr",
            "/in/a.csv",
            [("acme", "ana", ["editor"], 2), ("acme", "bo", ["editor"], 3), ("acme", "dee", ["editor"], 4)]
        )
        let directory = Self.users("directory", "/in/g.ldif", [("acme", "BO", ["editor"], 7)])
        let hook = Self.users(
            "hook",
            "/in/s.json",
            [("acme", "Ana", ["editor"], 4), ("acme", "bo", ["editor"], 5), ("acme", "cy", ["editor"], 6)]
        )
        let hrAgain = Self.users("hr", "/in/b.csv", [("acme", "DEE", ["editor"], 2)])
        let desired = try SeatMerger.merge([hr, directory, hook, hrAgain], policy: Self.precedence)
        #expect(
            desired.customers["acme"]?["editor"]
                == DesiredCount(count: 4, why: "4 users (hr 3, directory 1, hook 3; 2 in more than one)")
        )
    }
}

extension SeatMergerTests {
    /// Input: 300 customers, more than the runs customers are seated in, of uneven sizes: customer `c` lists
    /// `c % 7` editors and one admin who is also an editor, and `cust-0` lists 5,000 editors; a second source lists
    /// each odd customer's first editor again, in upper case, and one viewer more.
    /// Expected: every customer, each seated as one customer alone is: `c % 7` editors (5,000 for `cust-0`), one
    /// admin with the editor under admin, and the odd ones one viewer.
    @Test func seatsEveryCustomerOfManyAsEachAlone() throws {
        var hrRows: [(String, String, [String], Int)] = []
        var hookRows: [(String, String, [String], Int)] = []
        for customer in 0..<300 {
            let id = "cust-\(customer)"
            let editors = customer == 0 ? 5_000 : customer % 7
            for user in 0..<editors { hrRows.append((id, "u\(user)@\(id)", ["editor"], user + 2)) }
            hrRows.append((id, "boss@\(id)", ["admin", "editor"], editors + 2))
            if customer % 2 == 1 {
                if editors > 0 { hookRows.append((id, "U0@\(id)".uppercased(), ["editor"], 2)) }
                hookRows.append((id, "v@\(id)", ["viewer"], 3))
            }
        }
        let desired = try SeatMerger.merge(
            [Self.users("hr", "/in/u.csv", hrRows), Self.users("hook", "/in/s.json", hookRows)],
            policy: Self.precedence
        )
        #expect(desired.customers.count == 300)
        for customer in 0..<300 {
            let seats = desired.customers["cust-\(customer)"]?.mapValues(\.count)
            let editors = customer == 0 ? 5_000 : customer % 7
            #expect(seats == ["admin": 1, "editor": editors, "viewer": customer % 2], "cust-\(customer)")
        }
    }
}

extension SeatMergerTests {
    /// Input: a ceiling of 3 seats per customer; customers beta (4 seats), alpha (5, pre-counted and listed under
    /// two codes) and gamma (2). Expected: the merge refuses, naming alpha and its 5 seats: with several customers
    /// over the ceiling, the first by id, whichever run of customers met it.
    @Test func aCustomerOverTheCeilingIsTheFirstByID() throws {
        var policy = Self.precedence
        policy.maxSeatsPerCustomer = 3
        let hr = Self.users(
            "hr",
            "/in/users.csv",
            (1...4).map { ("beta", "b\($0)", ["editor"], $0) } + (1...3).map { ("alpha", "a\($0)", ["viewer"], $0) }
                + [("gamma", "g1", ["editor"], 9), ("gamma", "g2", ["admin"], 10)]
        )
        let counted = Self.counts("crm", "/in/counts.json", [("alpha", "admin", 2, 1)])
        #expect(throws: MergeError.customerOverCeiling(customer: "alpha", total: 5, limit: 3)) {
            try SeatMerger.merge([hr, counted], policy: policy)
        }
    }
}
