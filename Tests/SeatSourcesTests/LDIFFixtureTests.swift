import Foundation
import SeatSources
import Testing

/// The path of a file in `Fixtures/`.
func ldifFixture(_ name: String) throws -> String {
    try #require(Bundle.module.path(forResource: name, ofType: nil, inDirectory: "Fixtures"))
}

/// Who holds which seat: customer -> feature code -> sorted user ids.
func ldifSeats(_ reading: SourceReading) -> [String: [String: [String]]] {
    reading.customers.mapValues { facts in
        var seats: [String: [String]] = [:]
        for user in facts.users {
            for grant in user.grants { seats[grant.feature, default: []].append(user.id) }
        }
        return seats.mapValues { $0.sorted() }
    }
}

func readLDIF(_ path: String, _ options: LDIFOptions, allowEmpty: Bool = false) throws -> SourceReading {
    let settings = SourceSettings(name: "directory", path: path, allowEmpty: allowEmpty)
    return try LDIFSource(settings: settings, options: options).read(now: Date())
}

/// Real-shaped exports, one per tool; each test states the seats that must come out.
@Suite struct LDIFFixtureTests {
    @Test func slapcatDumpCountsEachUserOnceAcrossCaseVariantsOfTheirDN() throws {
        // Children before parents, operational attributes, `ou=People` and `ou=people` for one entry, and
        // `UID=Alice,OU=People,O=Acme` repeating alice in the same group.
        let path = try ldifFixture("slapcat.ldif")
        let reading = try readLDIF(
            path,
            LDIFOptions(customer: .rdn("o"), groups: ["Editors": "editor", "viewers": "viewer"])
        )
        #expect(
            ldifSeats(reading) == [
                "acme": ["editor": ["alice", "bob"], "viewer": ["alice", "carol"]],
                "globex": ["editor": ["dave"]],
            ]
        )
        #expect(reading.unmappedRoles == ["staff": 1])
        #expect(reading.notes.isEmpty)
        #expect(reading.source == "directory" && reading.file == path)
        let alice = try #require(reading.customers["acme"]?.users["alice"])
        #expect(
            alice.grants.map(\.at) == [
                Provenance(file: path, line: 37, detail: "cn=editors,ou=groups,o=acme,dc=example,dc=com"),
                Provenance(file: path, line: 51, detail: "cn=viewers,ou=groups,o=acme,dc=example,dc=com"),
            ]
        )
    }

    @Test func userIDAttributeChoosesWhichAttributeIsCounted() throws {
        // Input: the slapcat dump with user_id_attribute mail. Expected: the same seats, keyed by mail.
        let reading = try readLDIF(
            try ldifFixture("slapcat.ldif"),
            LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor"], userIDAttribute: "mail")
        )
        #expect(
            ldifSeats(reading) == [
                "acme": ["editor": ["alice@acme.example.com", "bob@acme.example.com"]],
                "globex": ["editor": ["dave@globex.example.com"]],
            ]
        )
    }

    @Test func ldapsearchDumpUnfoldsLinesAndDecodesBase64DNs() throws {
        // Folds mid-DN, before a comma, after a trailing space and inside a UTF-8 sequence; `dn::` and `member::`
        // in base64; an empty placeholder `member:` and no final newline.
        let path = try ldifFixture("ldapsearch-LLL.ldif")
        let reading = try readLDIF(
            path,
            LDIFOptions(
                customer: .rdn("o"),
                groups: ["editors": "editor", "viewers": "viewer", "tps-reviewers": "editor"]
            )
        )
        #expect(
            ldifSeats(reading) == ["initech": ["editor": ["milton", "peter", "zoë"], "viewer": ["bjorn", "milton"]]]
        )
        #expect(reading.unmappedRoles.isEmpty)
        #expect(reading.notes.isEmpty)
        #expect(
            reading.customers["initech"]?.users["peter"]?.grants.first?.at
                == Provenance(file: path, line: 11, detail: "cn=editors,ou=groups,o=initech,dc=example,dc=com")
        )
    }

    @Test func db2ldifDumpTakesTheCustomerFromAnAttribute() throws {
        // version: 1, `# entry-id:` comments, aci values folded right after spaces, customer in businessCategory.
        let reading = try readLDIF(
            try ldifFixture("389ds-db2ldif.ldif"),
            LDIFOptions(
                customer: .attribute("businessCategory"),
                groups: ["hooli-editors": "editor", "hooli-admins": "admin", "piedpiper-editors": "editor"]
            )
        )
        #expect(
            ldifSeats(reading) == [
                "hooli": ["editor": ["ahmed", "beatriz"], "admin": ["ahmed"]],
                "piedpiper": ["editor": ["ahmed", "chidi", "dana"]],
            ]
        )
        #expect(reading.unmappedRoles == ["everyone": 1])
    }

    @Test func ldifdeExportSkipsDisabledUsersAndResolvesThePrimaryGroup() throws {
        // CRLF, a leading blank line, `changetype: add` on every record, upper-case DNs, a base64 non-ASCII
        // `dn::`/`member::`, a disabled user (userAccountControl 514) in Editors, and kiosk, whose primary group
        // Viewers (primaryGroupID 1302 = the RID of Viewers' objectSid) lists it in no `member`.
        let path = try ldifFixture("ad-ldifde.ldif")
        let reading = try readLDIF(
            path,
            LDIFOptions(
                customer: .rdn("OU"),
                groups: ["editors": "editor", "viewers": "viewer"],
                userIDAttribute: "sAMAccountName"
            )
        )
        #expect(ldifSeats(reading) == ["Acme": ["editor": ["dnovak", "jsmith"], "viewer": ["jsmith", "kiosk"]]])
        #expect(reading.notes == [SourceNote(.disabledUsers, file: path, total: 1)])
    }

    @Test func ldifdeExportWithARangedMemberListIsRefused() throws {
        // Input: a group above AD's range limit: an empty `member:` and a `member;range=0-1499:` chunk.
        let path = try ldifFixture("ad-ldifde-ranged.ldif")
        let error = #expect(throws: LDIFError.self) {
            try readLDIF(path, LDIFOptions(customer: .rdn("ou"), groups: ["editors": "editor"]))
        }
        #expect(error == .rangedAttribute(file: path, line: 28, attribute: "member", option: "range=0-1499"))
        #expect(
            error?.description == "\(path):28: attribute option ;range=0-1499 on member means the export is incomplete "
                + "(AD range retrieval); export with the full member list"
        )
    }

    @Test func freeIPANestedGroupsExpandThroughACycle() throws {
        // editors -> editors-emea -> editors-emea-contractors -> editors (a cycle); viewers holds editors-emea.
        // ipausers (everyone) is not mapped; the nested groups are used, so they are no unmapped roles.
        let reading = try readLDIF(
            try ldifFixture("freeipa-nested.ldif"),
            LDIFOptions(
                customer: .attribute("businessCategory"),
                groups: ["admins": "admin", "editors": "editor", "viewers": "viewer"]
            )
        )
        #expect(
            ldifSeats(reading) == [
                "umbrella": [
                    "admin": ["admin"],
                    "editor": ["ana", "ben", "cho"],
                    "viewer": ["ana", "ben", "cho", "dev"],
                ]
            ]
        )
        #expect(reading.unmappedRoles == ["ipausers": 1])
        // ben is an editor only through editors-emea: the grant names the mapped group, editors.
        let ben = try #require(reading.customers["umbrella"]?.users["ben"])
        #expect(
            ben.grants.map(\.at.detail) == [
                "cn=editors,cn=groups,cn=accounts,dc=ipa,dc=example,dc=com",
                "cn=viewers,cn=groups,cn=accounts,dc=ipa,dc=example,dc=com",
            ]
        )
        #expect(ben.grants.map(\.at.line) == [107, 151])
    }

    @Test func posixGroupsResolveMemberUidToUserEntries() throws {
        // editors: memberUid amy, RAJ (case differs from uid raj), ghost (no such entry), 2003 (lee's uidNumber).
        // viewers (hybrid): member amy's DN and memberUid amy (one seat), lee, phantom (no such entry).
        let path = try ldifFixture("posix.ldif")
        let reading = try readLDIF(
            path,
            LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor", "viewers": "viewer"])
        )
        #expect(
            ldifSeats(reading) == [
                "vandelay": ["editor": ["amy", "ghost", "lee", "raj"], "viewer": ["amy", "lee", "phantom"]]
            ]
        )
        #expect(
            reading.notes == [
                SourceNote(
                    .unresolvedMemberUIDs,
                    file: path,
                    items: [SourceNote.Item("ghost"), SourceNote.Item("phantom")]
                )
            ]
        )
    }

    @Test func uniqueMembersMatchWithoutTheirBitStringSuffix() throws {
        // `uniqueMember: ...#'0101'B`, a spaced spelling and an `ou=People` spelling of the same two users.
        let reading = try readLDIF(
            try ldifFixture("unique-members.ldif"),
            LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor", "admins": "admin"])
        )
        #expect(ldifSeats(reading) == ["soylent": ["editor": ["nina", "omar"], "admin": ["omar"]]])
        #expect(reading.notes.isEmpty)
    }
}
