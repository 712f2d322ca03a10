import Foundation
import SeatSources
import TestSupport
import Testing

private let options = LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor", "viewers": "viewer"])
/// For inputs with no viewers group, whose notes would otherwise say that the `viewers` key matches nothing.
private let editorsOnly = LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor"])

/// Writes `bytes` as `groups.ldif` in a fresh directory and reads it.
private func read(
    _ bytes: [UInt8],
    _ options: LDIFOptions = options,
    allowEmpty: Bool = false
) throws -> (reading: SourceReading, path: String) {
    let directory = try TemporaryDirectory()
    let path = try directory.write("groups.ldif", bytes: bytes)
    return (try readLDIF(path, options, allowEmpty: allowEmpty), path)
}

private func read(_ text: String, _ options: LDIFOptions = options) throws -> (reading: SourceReading, path: String) {
    try read(Array(text.utf8), options)
}

/// The note that `dns`, member DNs naming no entry, were counted by their normalised DN.
private func unresolvedDNsNote(_ path: String, _ dns: String...) -> SourceNote {
    SourceNote(.unresolvedMemberDNs, file: path, attribute: "uid", items: dns.map { SourceNote.Item($0) })
}

/// A malformed or untrustworthy export and the exact error it must give; `error` gets the file's path.
struct LDIFFailure: CustomTestStringConvertible, Sendable {
    var name: String
    var input: [UInt8]
    var options: LDIFOptions
    var error: @Sendable (String) -> any Error
    var testDescription: String { name }

    init(
        _ name: String,
        _ input: String,
        _ options: LDIFOptions? = nil,
        _ error: @escaping @Sendable (String) -> LDIFError
    ) {
        self.init(name, Array(input.utf8), options, error)
    }

    init(
        _ name: String,
        _ input: [UInt8],
        _ options: LDIFOptions? = nil,
        _ error: @escaping @Sendable (String) -> any Error
    ) {
        self.name = name
        self.input = input
        self.options = options ?? SeatSourcesTests.options
        self.error = error
    }
}

/// A mapped group of acme, the start of most inputs below (lines 1-3).
private let editors = "dn: cn=editors,ou=groups,o=acme\nobjectClass: groupOfNames\ncn: editors\n"

@Suite struct LDIFSourceTests {
    static let failures: [LDIFFailure] = [
        LDIFFailure("bad base64 in a member value", editors + "member:: dWlkPWFsaWNl*\nmember: uid=b,o=acme\n") {
            .badBase64(file: $0, line: 4, attribute: "member")
        },
        LDIFFailure("bad base64 in an attribute the reader ignores", editors + "jpegPhoto:: /9j/4A\n\n") {
            .badBase64(file: $0, line: 4, attribute: "jpegPhoto")
        },
        LDIFFailure("invalid UTF-8 in a decoded cn", "dn: cn=x,o=acme\nobjectClass: groupOfNames\ncn:: /w==\n") {
            .invalidUTF8(file: $0, line: 3, attribute: "cn")
        },
        LDIFFailure("invalid UTF-8 in a decoded member DN", editors + "member:: dWlkPf8=\n") {
            .invalidUTF8(file: $0, line: 4, attribute: "member")
        },
        LDIFFailure(
            "invalid UTF-8 in a uniqueMember;binary DN after member values: the error names its own attribute",
            editors + "member: uid=a,o=acme\nmember: uid=b,o=acme\nuniqueMember;binary:: dWlkPf8=\n"
        ) {
            .invalidUTF8(file: $0, line: 6, attribute: "uniqueMember;binary")
        },
        LDIFFailure("invalid UTF-8 in a decoded dn", "dn:: Y249/w==\nobjectClass: top\n") {
            .invalidUTF8(file: $0, line: 1, attribute: "dn")
        },
        LDIFFailure("invalid UTF-8 in a plain uid", Array("dn: uid=a,o=acme\nuid: a".utf8) + [0xE9, 0x0A]) {
            LDIFError.invalidUTF8(file: $0, line: 2, attribute: "uid")
        },
        LDIFFailure(
            "line ends converted to CRLF twice (found by fuzz-ldif: o=acme\\r became the customer)",
            "dn: cn=editors,o=acme\r\nobjectClass: groupOfNames\r\ncn: editors\r\r\nmember: uid=a,o=acme\r\r\n"
        ) {
            .strayCarriageReturn(file: $0, line: 3)
        },
        LDIFFailure("a line without a colon", "dn: cn=editors,o=acme\nobjectClass groupOfNames\n") {
            .missingColon(file: $0, line: 2)
        },
        LDIFFailure("a continuation with nothing to continue", " dn: cn=editors,o=acme\n") {
            .continuationWithoutLine(file: $0, line: 1)
        },
        LDIFFailure("a separator line holding spaces", editors + "member: uid=a,o=acme\n   \n" + editors) {
            .whitespaceOnlyLine(file: $0, line: 5)
        },
        LDIFFailure("a URL value", editors + "member:< file:///srv/export/members.txt\n") {
            .urlValue(file: $0, line: 4, attribute: "member")
        },
        LDIFFailure("a ranged memberUid", "dn: cn=editors,o=acme\nobjectClass: posixGroup\nmemberUid;range=0-1: a\n") {
            .rangedAttribute(file: $0, line: 3, attribute: "memberUid", option: "range=0-1")
        },
        LDIFFailure("changetype: modify", "dn: cn=editors,o=acme\nchangetype: modify\nadd: member\nmember: uid=a\n-\n")
        {
            .changeRecord(file: $0, line: 2, changeType: "modify")
        },
        LDIFFailure("changetype: delete after an add record", editors + "\ndn: cn=viewers,o=acme\nchangetype: delete\n")
        {
            .changeRecord(file: $0, line: 6, changeType: "delete")
        },
        LDIFFailure("changetype: moddn", "dn: cn=editors,o=acme\nChangeType: moddn\nnewrdn: cn=x\ndeleteoldrdn: 1\n") {
            .changeRecord(file: $0, line: 2, changeType: "moddn")
        },
        LDIFFailure("an LDIF version other than 1", "version: 2\n\n" + editors) {
            .unsupportedVersion(file: $0, line: 1, version: "2")
        },
        LDIFFailure("a dn: that is not the first line", "objectClass: top\ndn: cn=editors,o=acme\n") {
            .misplacedDN(file: $0, line: 2)
        },
        LDIFFailure("two dn: lines in one record", editors + "dn: cn=viewers,o=acme\n") {
            .misplacedDN(file: $0, line: 4)
        },
        LDIFFailure("a member value that is no DN", editors + "member: alice\n") {
            .invalidDN(file: $0, line: 4, dn: "alice", reason: "RDN 'alice' has no '='")
        },
        LDIFFailure("an entry DN ending in a comma", "dn: cn=editors,o=acme,\nobjectClass: groupOfNames\n") {
            .invalidDN(file: $0, line: 1, dn: "cn=editors,o=acme,", reason: "ends with a separator and no RDN after it")
        },
        LDIFFailure(
            "userAccountControl that is no number",
            "dn: cn=a,o=acme\nsAMAccountName: a\nuserAccountControl: x\n"
        ) {
            .notANumber(file: $0, line: 3, attribute: "userAccountControl", value: "x")
        },
        LDIFFailure(
            "an ldapsearch trailer reporting a size limit",
            editors + "member: uid=a,o=acme\n\n# search result\nsearch: 2\nresult: 4 Size limit exceeded\n"
        ) {
            .incompleteSearch(file: $0, line: 8, result: "4 Size limit exceeded")
        },
        LDIFFailure("the last line cut inside a base64 value", editors + "member:: dWlkPWFsaWNlLG89YW") {
            .endsMidRecord(file: $0, line: 4, cause: .badBase64(file: $0, line: 4, attribute: "member"))
        },
        LDIFFailure("the last line cut inside a UTF-8 sequence", Array((editors + "cn: Bj").utf8) + [0xC3]) {
            LDIFError.endsMidRecord(file: $0, line: 4, cause: .invalidUTF8(file: $0, line: 4, attribute: "cn"))
        },
        LDIFFailure("the last line cut inside an attribute name", editors + "member: uid=a,o=acme\nmemb") {
            .endsMidRecord(file: $0, line: 5, cause: .missingColon(file: $0, line: 5))
        },
        LDIFFailure("a bad base64 last line that does end with a newline", editors + "member:: dWlkPWFsaWNlLG89YW\n") {
            .badBase64(file: $0, line: 4, attribute: "member")
        },
        LDIFFailure("a mapped group outside any o=", "dn: cn=editors,ou=groups,dc=example\nobjectClass: groupOfNames\n")
        {
            .noCustomer(file: $0, line: 1, group: "cn=editors,ou=groups,dc=example", rule: "o= RDN in its DN")
        },
        LDIFFailure(
            "a mapped group with two customer attribute values",
            editors + "businessCategory: acme\nbusinessCategory: globex\n",
            LDIFOptions(customer: .attribute("businessCategory"), groups: ["editors": "editor"])
        ) {
            .ambiguousCustomer(file: $0, line: 1, group: "cn=editors,ou=groups,o=acme", values: ["acme", "globex"])
        },
        LDIFFailure(
            "a mapped group without the customer attribute",
            editors,
            LDIFOptions(customer: .attribute("businessCategory"), groups: ["editors": "editor"])
        ) {
            .noCustomer(file: $0, line: 1, group: "cn=editors,ou=groups,o=acme", rule: "businessCategory attribute")
        },
        LDIFFailure("a group whose names map to two features", editors + "cn: Viewers\n") {
            .ambiguousGroup(file: $0, line: 1, group: "cn=editors,ou=groups,o=acme", features: ["editor", "viewer"])
        },
        LDIFFailure(
            "a memberUid naming two different users",
            "dn: uid=kim,ou=a,o=acme\nuid: kim\nmail: kim@a.example\n\ndn: uid=kim,ou=b,o=acme\nuid: kim\n"
                + "mail: kim@b.example\n\ndn: cn=editors,o=acme\nobjectClass: posixGroup\nmemberUid: kim\n",
            LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor"], userIDAttribute: "mail")
        ) {
            .ambiguousMemberUid(
                file: $0,
                line: 9,
                group: "cn=editors,o=acme",
                uid: "kim",
                entries: ["uid=kim,ou=a,o=acme", "uid=kim,ou=b,o=acme"]
            )
        },
        LDIFFailure("an empty file", [UInt8]()) { SourceFileError.empty(file: $0) },
        LDIFFailure("only a version line and comments", Array("version: 1\n# nothing exported\n".utf8)) {
            SourceFileError.empty(file: $0)
        },
        LDIFFailure(
            "no mapped group: names the groups the file has instead of advising allow_empty (issue 10)",
            "dn: uid=a,o=acme\nuid: a\n\ndn: cn=staff,o=acme\nobjectClass: groupOfNames\nmember: uid=a,o=acme\n"
        ) {
            .noMappedGroup(file: $0, line: 4, keys: ["editors", "viewers"], groups: ["staff"])
        },
        LDIFFailure("entries but no group at all (issue 10)", "dn: uid=a,o=acme\nuid: a\n") {
            .noMappedGroup(file: $0, line: 1, keys: ["editors", "viewers"], groups: [])
        },
        LDIFFailure(
            "a repeated DN: several dumps appended, editors {a, b} then {a, c} (issue 10)",
            editors + "member: uid=a,o=acme\nmember: uid=b,o=acme\n\n"
                + "dn: CN=Editors,OU=Groups,O=Acme\nobjectClass: groupOfNames\nmember: uid=a,o=acme\nmember: uid=c,o=acme\n"
        ) {
            .repeatedDN(file: $0, line: 7, dn: "CN=Editors,OU=Groups,O=Acme", firstLine: 1)
        },
        LDIFFailure(
            "a member value with a type that is no attribute type (issue 10)",
            editors + "member: 1..1=jsmith\n"
        ) {
            .invalidDN(file: $0, line: 4, dn: "1..1=jsmith", reason: "'1..1' is not an attribute type")
        },
        LDIFFailure(
            "an entry DN with an escape of a plain letter (issue 10)",
            "dn: UID=john\\GGsmith,o=acme\nuid: jsmith\n"
        ) {
            .invalidDN(
                file: $0,
                line: 1,
                dn: "UID=john\\GGsmith,o=acme",
                reason: "'\\' must be followed by a special character or two hex digits"
            )
        },
        LDIFFailure(
            "UTF-16LE with CRLF: named UTF-16, not CR CR LF (issue 10)",
            [0xFF, 0xFE] + "dn: cn=editors,o=acme\r\n".utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
        ) {
            LDIFError.utf16(file: $0)
        },
        LDIFFailure(
            "a member DN over 64 KiB (issue 15)",
            editors + "member: uid=" + String(repeating: "a", count: 64 * 1024) + ",o=acme\n"
        ) {
            .valueTooLong(file: $0, line: 4, attribute: "member", bytes: 64 * 1024 + 11)
        },
        LDIFFailure(
            "a base64 entry DN over 64 KiB (issue 15)",
            "dn:: " + Data(("cn=" + String(repeating: "a", count: 64 * 1024)).utf8).base64EncodedString() + "\n"
        ) {
            .valueTooLong(file: $0, line: 1, attribute: "dn", bytes: 64 * 1024 + 3)
        },
        LDIFFailure(
            "a NUL inside a uid: bob\\0 would be another user than bob (issue 15)",
            Array("dn: uid=bob,o=acme\nuid: bob".utf8) + [0, 0x0A]
        ) {
            LDIFError.controlCharacter(file: $0, line: 2, attribute: "uid", value: "bob\0")
        },
        LDIFFailure(
            "a control character inside a customer attribute (issue 15)",
            editors + "businessCategory: ac\u{1B}me\n",
            LDIFOptions(customer: .attribute("businessCategory"), groups: ["editors": "editor"])
        ) {
            .controlCharacter(file: $0, line: 4, attribute: "businessCategory", value: "ac\u{1B}me")
        },
        LDIFFailure("a control character inside a group name (issue 15)", editors + "cn: edi\u{7F}tors\n") {
            .controlCharacter(file: $0, line: 4, attribute: "cn", value: "edi\u{7F}tors")
        },
        LDIFFailure("a control character inside a member DN (issue 15)", editors + "member: uid=bob\\00,o=acme\n") {
            .invalidDN(file: $0, line: 4, dn: "uid=bob\\00,o=acme", reason: "a value holds a control character")
        },
    ]

    @Test(arguments: failures)
    func refusesUntrustworthyExports(_ example: LDIFFailure) throws {
        let directory = try TemporaryDirectory()
        let path = try directory.write("groups.ldif", bytes: example.input)
        let expected = example.error(path)
        do {
            let reading = try readLDIF(path, example.options)
            Issue.record("expected \(expected), read \(reading.customers)")
        } catch let error as LDIFError {
            #expect(error == expected as? LDIFError)
        } catch let error as SourceFileError {
            #expect(error == expected as? SourceFileError)
        }
    }

    @Test func errorsReadAsOneLineNamingFileAndLine() {
        #expect(
            LDIFError.endsMidRecord(
                file: "groups.ldif",
                line: 4,
                cause: .badBase64(file: "groups.ldif", line: 4, attribute: "member")
            )
            .description
                == "groups.ldif:4: file ends mid-record (value of member is not valid base64); the export was cut short "
                + "or is still being written"
        )
        #expect(
            LDIFError.changeRecord(file: "groups.ldif", line: 2, changeType: "modify").description
                == "groups.ldif:2: changetype: modify is a change record; seat-sync reads content exports "
                + "(records with no changetype or changetype: add), not change logs"
        )
    }

    @Test func allowEmptyAcceptsAnExportWithoutMappedGroups() throws {
        // Input: an empty file with allow_empty. Expected: a reading with no customers, not an error.
        let reading = try read([], allowEmpty: true).reading
        #expect(reading.customers.isEmpty)
    }

    @Test func placeholderMembersLeaveTheCustomerWithNoSeats() throws {
        // Input: a mapped group whose only members are an empty `member:` and its own DN.
        // Expected: customer acme present (so its editor seats can go to 0) with no users.
        let reading = try read(editors + "member:\nmember: CN=Editors, OU=Groups, O=Acme\n").reading
        #expect(ldifSeats(reading) == ["acme": [:]])
    }

    @Test func dynamicGroupsAreANoteNotAnError() throws {
        // Input: a mapped groupOfURLs with one static member. Expected: that member counted, and a note.
        let (reading, path) = try read(
            "dn: cn=editors,o=acme\nobjectClass: groupOfURLs\ncn: editors\n"
                + "memberURL: ldap:///ou=people,o=acme??sub?(title=editor)\nmember: uid=a,o=acme\n\n"
                + "dn: uid=a,o=acme\nuid: a\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["a"]]])
        #expect(
            reading.notes == [
                SourceNote(.dynamicGroup, file: path, line: 1, items: [SourceNote.Item("cn=editors,o=acme")])
            ]
        )
    }

    @Test func concatenatedSearchesSkipRecordsWithoutDN() throws {
        // Input: two ldapsearch outputs back to back (extended format), one per group, with a search reference and
        // the result trailers. Expected: both groups' members; the records without a DN name nobody.
        let (reading, _) = try read(
            "# extended LDIF\n#\n\n" + editors + "member: uid=a,o=acme\n\n# search reference\n"
                + "ref: ldap://replica.example.com/o=acme??sub\n\n# search result\nsearch: 2\nresult: 0 Success\n\n"
                + "# numResponses: 3\n\n"
                + "dn: CN=Viewers,OU=Groups,O=Acme\nmember: uid=b,o=acme\n\nsearch: 3\nresult: 0 Success\n"
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["uid=a,o=acme"], "viewer": ["uid=b,o=acme"]]])
    }

    @Test func membersNamingNoEntryCountByNormalisedDN() throws {
        // Input: a member DN with no entry in the export, spelled two ways. Expected: one seat keyed by its
        // normalised DN, and a note saying so.
        let (reading, path) = try read(
            editors + "member: UID=Ghost, OU=People, O=Acme\nmember: uid=ghost,ou=people,o=acme\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["uid=ghost,ou=people,o=acme"]]])
        #expect(reading.notes == [unresolvedDNsNote(path, "uid=ghost,ou=people,o=acme")])
    }

    @Test func usersWithAnEmptyIDCountByTheirDN() throws {
        // Input (found by fuzz-ldif): two members whose entries hold an empty `uid:` and a `uid:` of spaces.
        // Expected: two seats keyed by their normalised DNs, not one seat for a user called "".
        let (reading, path) = try read(
            editors + "member: uid=a,o=acme\nmember: uid=b,o=acme\n\ndn: uid=a,o=acme\nuid:\n\n"
                + "dn: uid=b,o=acme\nuid:   \n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["uid=a,o=acme", "uid=b,o=acme"]]])
        #expect(reading.notes == [unresolvedDNsNote(path, "uid=a,o=acme", "uid=b,o=acme")])
    }

    @Test func emptyGroupNamesAreNoNames() throws {
        // Input (found by fuzz-ldif): a group with an empty `cn:` beside its RDN cn=editors, and an unmapped group
        // whose only name is an empty RDN `CN=`. Expected: the first maps by its RDN; neither is reported as an
        // unmapped role "".
        let (reading, _) = try read(
            "dn: cn=editors,o=acme\nobjectClass: groupOfNames\ncn:\nmember: uid=a,o=acme\n\n"
                + "dn: CN=,o=acme\nmember: uid=a,o=acme\n"
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["uid=a,o=acme"]]])
        #expect(reading.unmappedRoles.isEmpty)
    }

    @Test func idsAndCustomersAreTrimmedOfWhitespaceAsInTheOtherReaders() throws {
        // Input (the fuzz-ldif trimmed-id invariant on hand-written seeds): a customer RDN ending in an escaped
        // tab, a businessCategory and a uid ending in a tab, a base64 uid ending in LF. Expected: customer acme and
        // users a and b, as a CSV or JSON source names them, not "acme\t" and "a\t" (which would count the same
        // user twice across sources).
        let rdn = try read(
            "dn: cn=editors,o=acme\\09\nobjectClass: groupOfNames\nmember: uid=a,o=acme\nmember: uid=b,o=acme\n\n"
                + "dn: uid=a,o=acme\nuid: a\t\n\ndn: uid=b,o=acme\nuid:: Ygo=\n"
        )
        #expect(ldifSeats(rdn.reading) == ["acme": ["editor": ["a", "b"]]])
        let attribute = try read(
            "dn: cn=editors,o=x\nobjectClass: groupOfNames\nbusinessCategory: acme\t\nmember: uid=a,o=x\n",
            LDIFOptions(customer: .attribute("businessCategory"), groups: ["editors": "editor"])
        )
        #expect(Array(attribute.reading.customers.keys) == ["acme"])
    }

    @Test func replicationStateDeletedValuesAndTombstonesAreNotMembers() throws {
        // Input: a 389-ds `db2ldif -r` style group: a member value marked deleted, a live one with a CSN option,
        // and a tombstone of a group with the same name. Expected: only the live member.
        let (reading, _) = try read(
            editors + "member;vucsn-5e8a1b2c000000010000: uid=a,o=acme\n"
                + "member;vdcsn-5e8a1b2d000000010000;deleted: uid=gone,o=acme\n\n"
                + "dn: nsuniqueid=3a6e7f01-1dd211b2-80a4c1b8-2f5e0000,cn=editors,ou=groups,o=acme\n"
                + "objectClass: nsTombstone\nobjectClass: groupOfNames\ncn: editors\nmember: uid=old,o=acme\n"
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["uid=a,o=acme"]]])
    }

    @Test func theRootDSEIsNeverAUser() throws {
        // Input (found by fuzz-ldif): an entry with the empty DN (the root DSE) carrying `uid: amy` and no
        // sAMAccountName, and a posixGroup naming `memberUid: amy`, read with ids from sAMAccountName.
        // Expected: amy counts by her uid (no user with an empty id, which the DN fallback used to give).
        let (reading, _) = try read(
            "dn:\nuid: amy\n\ndn: cn=editors,ou=groups,o=acme\nobjectClass: posixGroup\ncn: editors\nmemberUid: amy\n",
            LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor"], userIDAttribute: "sAMAccountName")
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["amy"]]])
    }

    @Test func rangedValuesOfIgnoredAttributesDoNotMatter() throws {
        // Input: a user whose memberOf back-link came ranged; seat-sync never reads memberOf. Expected: no error.
        let (reading, _) = try read(
            editors + "member: uid=a,o=acme\n\ndn: uid=a,o=acme\nuid: a\nmemberOf;range=0-1499: cn=x,o=acme\n"
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["a"]]])
    }

    @Test func keywordsAndAttributeNamesAreCaseInsensitive() throws {
        // Input: `DN:`, `ChangeType: Add`, `OBJECTCLASS`, `CN`, `Member`, `UID` in mixed case.
        let (reading, _) = try read(
            "Version: 1\nDN: CN=Editors,O=Acme\nChangeType: Add\nOBJECTCLASS: GroupOfNames\nCN: Editors\n"
                + "Member: UID=a,O=Acme\n\nDn: uid=A,o=acme\nUID: A\n"
        )
        #expect(ldifSeats(reading) == ["Acme": ["editor": ["A"]]])
    }

    @Test func sameGroupNameInTwoCustomersAndANestedGroupSharedByBoth() throws {
        // Input: acme and globex both have `editors`; both nest `cn=contractors,o=shared`. Expected: the
        // contractor holds an editor seat in each customer, and case variants of o=Globex are one customer.
        let (reading, path) = try read(
            editors + "member: cn=contractors,o=shared\nmember: uid=a,o=acme\n\n"
                + "dn: cn=editors,ou=groups,o=Globex\nobjectClass: groupOfNames\nmember: cn=contractors,o=shared\n\n"
                + "dn: cn=viewers,ou=groups,o=globex\nobjectClass: groupOfNames\nmember: uid=a,o=acme\n\n"
                + "dn: cn=contractors,o=shared\nobjectClass: groupOfNames\nmember: uid=c,o=shared\n\n"
                + "dn: uid=a,o=acme\nuid: a\n\ndn: uid=c,o=shared\nuid: c\n"
        )
        #expect(
            ldifSeats(reading) == ["acme": ["editor": ["a", "c"]], "Globex": ["editor": ["c"], "viewer": ["a"]]]
        )
        #expect(reading.unmappedRoles.isEmpty)
        #expect(
            reading.notes == [
                SourceNote(.customerSpellings, file: path, items: [SourceNote.Item("Globex", alternatives: ["globex"])])
            ]
        )
    }

    @Test func unmappedGroupsCountOnlyThroughTheMappedGroupsThatNestThem() throws {
        // Input: editors nests team (after it in the file), team nests crew (before it), crew nests team again;
        // crew holds c, who has no entry. Everyone, mapped by nothing and nested nowhere, holds b and nobody, who
        // has no entry either.
        // Expected: editor seats for b and for c by DN, both under editors; everyone is the one unmapped role, and
        // only c is named as a DN without an entry.
        let (reading, path) = try read(
            "dn: cn=crew,ou=groups,o=acme\nobjectClass: groupOfNames\ncn: crew\n"
                + "member: uid=c,ou=people,o=acme\nmember: cn=team,ou=groups,o=acme\n\n"
                + "dn: cn=editors,ou=groups,o=acme\nobjectClass: groupOfNames\ncn: editors\n"
                + "member: cn=team,ou=groups,o=acme\n\n"
                + "dn: cn=team,ou=groups,o=acme\nobjectClass: groupOfNames\ncn: team\n"
                + "member: uid=b,ou=people,o=acme\nmember: cn=crew,ou=groups,o=acme\n\n"
                + "dn: cn=everyone,ou=groups,o=acme\nobjectClass: groupOfNames\ncn: everyone\n"
                + "member: uid=b,ou=people,o=acme\nmember: uid=nobody,ou=people,o=acme\n\n"
                + "dn: uid=b,ou=people,o=acme\nuid: b\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["b", "uid=c,ou=people,o=acme"]]])
        #expect(reading.customers["acme"]?.users["b"]?.grants.map(\.at.line) == [7])
        #expect(reading.unmappedRoles == ["everyone": 1])
        #expect(reading.notes == [unresolvedDNsNote(path, "uid=c,ou=people,o=acme")])
    }

    @Test func readsAnExportSpanningSeveralChunks() throws {
        // Input: three customers with 6,000 users each, editors holding all of them and viewers every other one,
        // member lines folded every 40 columns, CRLF: over 2 MiB, so lines, folds and CRLFs straddle the 1 MiB
        // chunks the file is read in. Expected: 6,000 editor and 3,000 viewer seats per customer.
        var text = ""
        for customer in 0..<3 {
            for user in 0..<6000 {
                text +=
                    "dn: uid=u\(user),ou=people,o=c\(customer)\r\nobjectClass: inetOrgPerson\r\nuid: u\(user)\r\n\r\n"
            }
            for (group, step) in [("editors", 1), ("viewers", 2)] {
                text += "dn: cn=\(group),o=c\(customer)\r\nobjectClass: groupOfNames\r\ncn: \(group)\r\n"
                for user in stride(from: 0, to: 6000, by: step) {
                    let line = Array("member: uid=u\(user),ou=people,o=c\(customer)".utf8)
                    let folded = stride(from: 0, to: line.count, by: 40).map {
                        String(decoding: line[$0..<min($0 + 40, line.count)], as: UTF8.self)
                    }
                    text += folded.joined(separator: "\r\n ") + "\r\n"
                }
                text += "\r\n"
            }
        }
        #expect(text.utf8.count > 2 << 20)
        let reading = try read(text).reading
        for customer in 0..<3 {
            let seats = ldifSeats(reading)["c\(customer)"]
            #expect(seats?["editor"]?.count == 6000)
            #expect(seats?["viewer"]?.count == 3000)
        }
        #expect(reading.notes.isEmpty)
    }
    @Test func anExportWithCROnlyLineEndsReadsLineByLine() throws {
        // Input (issue 10): a classic Mac OS export, CR line ends only, starting with a comment, with a
        // userPassword. It used to be one line: "holds no records", or with allow_empty zero seats.
        // Expected: user a holds an editor seat.
        let (reading, _) = try read(
            "# export\rdn: cn=editors,o=acme\robjectClass: groupOfNames\rmember: uid=a,o=acme\r\r"
                + "dn: uid=a,o=acme\ruid: a\ruserPassword: SECRETVALUE\r",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["a"]]])
        #expect(reading.notes.isEmpty)
    }

    @Test func aMemberUidMayNameAnyUidValueOfAnEntry() throws {
        // Input (issue 10): jdoe's entry has `uid: jdoe` and `uid: john.doe`; editors names it by DN and
        // `memberUid: john.doe`. Expected: one seat, jdoe, and no "names no entry" note.
        let (reading, _) = try read(
            "dn: uid=jdoe,o=acme\nuid: jdoe\nuid: john.doe\n\n" + editors
                + "member: uid=jdoe,o=acme\nmemberUid: john.doe\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["jdoe"]]])
        #expect(reading.notes.isEmpty)
    }

    @Test func groupsKeysMatchingNoGroupAreNotedWithTheClosestGroupName() throws {
        // Input (issue 10): keys `editors` and `viewrs` (a typo); the file has groups editors and viewers.
        // Expected: editors read, and a note naming viewrs with "did you mean viewers"; viewers is unmapped.
        let (reading, path) = try read(
            editors
                + "member: uid=a,o=acme\n\ndn: cn=viewers,o=acme\nobjectClass: groupOfNames\nmember: uid=b,o=acme\n",
            LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor", "viewrs": "viewer"])
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["uid=a,o=acme"]]])
        #expect(reading.unmappedRoles == ["viewers": 1])
        #expect(
            reading.notes.first
                == SourceNote(
                    .unmatchedGroupKeys,
                    file: path,
                    items: [SourceNote.Item("viewrs", alternatives: ["viewers"])]
                )
        )
    }

    @Test func allowEmptyStillNotesTheKeysThatMatchNoGroup() throws {
        // Input: allow_empty and an export whose only group is staff. Expected: no customers, and a note naming
        // both keys, so that a typo does not pass as an intended empty source.
        let directory = try TemporaryDirectory()
        let path = try directory.write("groups.ldif", "dn: cn=staff,o=acme\nobjectClass: groupOfNames\n")
        let reading = try readLDIF(path, options, allowEmpty: true)
        #expect(reading.customers.isEmpty)
        #expect(
            reading.notes == [
                SourceNote(
                    .unmatchedGroupKeys,
                    file: path,
                    items: [SourceNote.Item("editors"), SourceNote.Item("viewers")]
                )
            ]
        )
    }

    @Test func aUserIDHeldBySeveralEntriesIsNoted() throws {
        // Input (issue 10): two entries in different OUs both with uid jdoe, both editors. Expected: one seat
        // (ids are what is counted) and a note naming the id and both lines.
        let (reading, path) = try read(
            editors + "member: uid=jdoe,ou=a,o=acme\nmember: uid=jdoe,ou=b,o=acme\n\n"
                + "dn: uid=jdoe,ou=a,o=acme\nuid: jdoe\n\ndn: uid=jdoe,ou=b,o=acme\nuid: JDoe\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["jdoe"]]])
        #expect(
            reading.notes == [
                SourceNote(
                    .sharedUserIDs,
                    file: path,
                    attribute: "uid",
                    items: [SourceNote.Item("jdoe", lines: [7, 10])]
                )
            ]
        )
    }

    @Test func replicationConflictEntriesAreSkippedWithANote() throws {
        // Input (issue 10): editors, and the 389-ds conflict entry of the same DN (nsuniqueid in a
        // multi-valued RDN) holding another member. Expected: only editors' member, and a note on the skipped
        // entry.
        let (reading, path) = try read(
            editors + "member: uid=a,o=acme\n\n"
                + "dn: nsuniqueid=3a6e7f01-1dd211b2-80a4c1b8-2f5e0000+cn=editors,ou=groups,o=acme\n"
                + "objectClass: groupOfNames\ncn: editors\nmember: uid=b,o=acme\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["uid=a,o=acme"]]])
        #expect(
            reading.notes.first
                == SourceNote(
                    .replicationConflicts,
                    file: path,
                    items: [
                        SourceNote.Item(
                            "nsuniqueid=3a6e7f01-1dd211b2-80a4c1b8-2f5e0000+cn=editors,ou=groups,o=acme",
                            lines: [6]
                        )
                    ]
                )
        )
    }

    @Test func aGroupLargerThanABatchKeepsItsMembersAcrossTheHandOver() throws {
        // Input: editors of acme with 20,000 members, more than one batch of DNs holds, so the second thread
        // numbers them in parts while the group is still being read; then the 389-ds conflict entry of viewers
        // holding one member; then viewers holding two. Expected: 20,000 editor seats and 2 viewer seats, the
        // conflict noted at its line and its member in no group.
        let members = (0..<20_000).map { "member: uid=u\($0),o=acme\n" }.joined()
        let (reading, path) = try read(
            editors + members + "\n"
                + "dn: nsuniqueid=3a6e7f01-1dd211b2-80a4c1b8-2f5e0000+cn=viewers,ou=groups,o=acme\n"
                + "objectClass: groupOfNames\nmember: uid=conflicted,o=acme\n\n"
                + "dn: cn=viewers,ou=groups,o=acme\nobjectClass: groupOfNames\nmember: uid=u0,o=acme\n"
                + "member: uid=v,o=acme\n"
        )
        let seats = try #require(ldifSeats(reading)["acme"])
        #expect(Set(seats["editor"] ?? []) == Set((0..<20_000).map { "uid=u\($0),o=acme" }))
        #expect(seats["viewer"] == ["uid=u0,o=acme", "uid=v,o=acme"])
        let conflictLine = 3 + 20_000 + 2
        #expect(
            reading.notes.first?.items == [
                SourceNote.Item(
                    "nsuniqueid=3a6e7f01-1dd211b2-80a4c1b8-2f5e0000+cn=viewers,ou=groups,o=acme",
                    lines: [conflictLine]
                )
            ]
        )
        #expect(reading.notes.first?.file == path)
    }

    @Test func aRepeatedDNIsReportedBeforeALaterError() throws {
        // Input: editors (line 1), 10,000 user entries (several batches of DNs, numbered on the second thread),
        // editors' DN again at line 30,006, then a line that is no attribute line. Expected: the repeated DN,
        // naming both lines: it comes first in the file, though the second thread finds it after the reading
        // thread has stopped at the bad line.
        let users = (0..<10_000).map { "dn: uid=u\($0),o=acme\nuid: u\($0)\n\n" }.joined()
        let text =
            editors + "member: uid=u0,o=acme\n\n" + users
            + "dn: cn=editors,ou=groups,o=acme\nobjectClass: groupOfNames\n\nno colon here\n"
        let directory = try TemporaryDirectory()
        let path = try directory.write("groups.ldif", bytes: Array(text.utf8))
        let repeated = LDIFError.repeatedDN(file: path, line: 30_006, dn: "cn=editors,ou=groups,o=acme", firstLine: 1)
        #expect(throws: repeated) { try readLDIF(path, options, allowEmpty: false) }
    }

    @Test func aRepeatedDNIsReportedBeforeALaterMemberValueThatIsNoDN() throws {
        // Input: editors (line 1), 10,000 user entries (numbered on the second thread), editors' DN again at line
        // 30,006, then viewers with the member value `uid=a\GG,o=acme` (not an escape), which the reading thread
        // refuses at once. Expected: the repeated DN, first in the file, which only the second thread finds.
        let users = (0..<10_000).map { "dn: uid=u\($0),o=acme\nuid: u\($0)\n\n" }.joined()
        let text =
            editors + "member: uid=u0,o=acme\n\n" + users
            + "dn: cn=editors,ou=groups,o=acme\nobjectClass: groupOfNames\n\n"
            + "dn: cn=viewers,ou=groups,o=acme\nobjectClass: groupOfNames\nmember: uid=a\\GG,o=acme\n"
        let directory = try TemporaryDirectory()
        let path = try directory.write("groups.ldif", bytes: Array(text.utf8))
        let repeated = LDIFError.repeatedDN(file: path, line: 30_006, dn: "cn=editors,ou=groups,o=acme", firstLine: 1)
        #expect(throws: repeated) { try readLDIF(path, options, allowEmpty: false) }
    }

    @Test func aMemberValueThatIsNoDNIsReportedBeforeALaterError() throws {
        // Input: editors with 10,000 members, the last of them `uid=a\GG,o=acme` (not an escape) on line 10,003,
        // then a line that is no attribute line. Expected: the member value, first in the file.
        let members = (0..<9_999).map { "member: uid=u\($0),o=acme\n" }.joined()
        let text = editors + members + "member: uid=a\\GG,o=acme\n\nno colon here\n"
        let directory = try TemporaryDirectory()
        let path = try directory.write("groups.ldif", bytes: Array(text.utf8))
        let error = try #require(throws: LDIFError.self) { try readLDIF(path, options, allowEmpty: false) }
        guard case .invalidDN(file: path, line: 10_003, dn: "uid=a\\GG,o=acme", reason: _) = error else {
            Issue.record("expected the member value on line 10,003, got \(error)")
            return
        }
    }

    @Test func theCustomerIsTheFirstNonEmptyRDNOfItsTypeTrimmed() throws {
        // Input: editors named `cn=editors,O=,o=\ Acme\ ,o=other,dc=example`: an empty `O=` first, then ` Acme `
        // with escaped spaces, then another o=. Expected: the customer is "Acme": the type matched whatever its
        // case, the empty value passed over, the spaces around the value trimmed, the later o= not looked at.
        let (reading, _) = try read(
            "dn: cn=editors,O=,o=\\ Acme\\ ,o=other,dc=example\nobjectClass: groupOfNames\nmember: uid=a,o=acme\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["Acme": ["editor": ["uid=a,o=acme"]]])
    }

    @Test func controlCharactersInAUsersNameAreNoError() throws {
        // Input: a user entry whose cn holds an escape character; a user's cn names no group or seat.
        // Expected: the user counts by uid as usual.
        let (reading, _) = try read(
            editors + "member: uid=a,o=acme\n\ndn: uid=a,o=acme\ncn: A\u{1B}[1m\nuid: a\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["a"]]])
    }

    @Test func longValuesOfIgnoredAttributesAreNoError() throws {
        // Input: a user with a 100 KiB jpegPhoto on one line, an attribute seat-sync never reads. Expected: read;
        // the 64 KiB bound is for DNs, ids and names.
        let photo = Data(repeating: 0xFF, count: 100 * 1024).base64EncodedString()
        let (reading, _) = try read(
            editors + "member: uid=a,o=acme\n\ndn: uid=a,o=acme\nuid: a\njpegPhoto:: \(photo)\n",
            editorsOnly
        )
        #expect(ldifSeats(reading) == ["acme": ["editor": ["a"]]])
    }
}
