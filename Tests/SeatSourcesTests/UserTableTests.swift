import Testing

@testable import SeatSources

@Suite struct UserTableTests {
    /// Input: ids as exports write them: ASCII in any case, accented Latin, dotted capital I, Greek, Cyrillic; ids
    /// of 7, 8, 9, 16 and 17 bytes (checked eight bytes at a time from eight on, the last word overlapping), with a
    /// capital or a non-ASCII letter in the last byte only; the bytes either side of `A` and `Z` (`@`, `[`, `` ` ``,
    /// `{`) and DEL, which are not letters. Expected: the bytes the readers key users by equal the UTF-8 of
    /// `UserKey.of`, which the merge relies on.
    @Test(arguments: [
        "ana@acme.example", "Ana@ACME.Example", "ÄNNE@müller.example", "İlker", "ΣΟΦΙΑ", "Дмитрий", "", "ID-42_x",
        "abcdefG", "abcdefgH", "abcdefghI", "abcdefghijklmnoP", "abcdefghijklmnopQ", "abcdefghijklmnopé",
        "@[`{AZaz\u{7F}@[`{AZaz\u{7F}", "ana.maria@acme.example",
    ])
    func foldsBytesExactlyAsUserKeyFoldsStrings(_ id: String) {
        let folded = Array(id.utf8).withUnsafeBufferPointer { UserKey.withFolded($0) { Array($0) } }
        #expect(folded == Array(UserKey.of(id).utf8))
    }

    /// Input: one user granted editor twice (lines 2, then 9) and viewer (line 5) under ids differing in case, and a
    /// user listed without a feature code. Expected: two users; the first keeps its first spelling, editor from
    /// line 2 then viewer from line 5; the second holds nothing; lookups ignore case.
    @Test func keepsFirstSpellingFirstProvenanceAndGrantOrder() throws {
        var facts = CustomerFacts()
        facts.grant(user: "Ana@Acme.example", feature: "editor", at: Provenance(file: "u.csv", line: 2))
        facts.grant(
            user: "ana@acme.example",
            feature: "viewer",
            at: Provenance(file: "g.ldif", line: 5, detail: "cn=v")
        )
        facts.grant(user: "ANA@ACME.EXAMPLE", feature: "editor", at: Provenance(file: "u.csv", line: 9))
        facts.add(user: "bo")
        facts.add(user: "BO")

        #expect(facts.users.count == 2)
        let ana = try #require(facts.users["ana@acme.example"])
        #expect(ana.id == "Ana@Acme.example")
        #expect(
            ana.grants == [
                Grant(feature: "editor", at: Provenance(file: "u.csv", line: 2)),
                Grant(feature: "viewer", at: Provenance(file: "g.ldif", line: 5, detail: "cn=v")),
            ]
        )
        #expect(facts.users["Bo"] == UserFacts(id: "bo", grants: []))
        #expect(facts.users.map(\.id) == ["Ana@Acme.example", "bo"])
        #expect(facts.users["cy"] == nil)
    }

    /// Input: three users granted on lines 2^31 - 1, 2^31 and 5,000,000,000 (a file of billions of lines), the
    /// last also a second code on line 2^32 + 7, and a user on line 3. Expected: every grant keeps its exact line.
    @Test func keepsLinesPastWhatAGrantHoldsItself() throws {
        var facts = CustomerFacts()
        let lines = [2_147_483_647, 2_147_483_648, 5_000_000_000, 3]
        for (user, line) in lines.enumerated() {
            facts.grant(user: "u\(user)", feature: "editor", at: Provenance(file: "f", line: line))
        }
        facts.grant(user: "u2", feature: "viewer", at: Provenance(file: "f", line: 4_294_967_303))
        #expect(facts.users.map { $0.grants[0].at.line } == lines)
        #expect(try #require(facts.users["u2"]).grants.map(\.at.line) == [5_000_000_000, 4_294_967_303])
    }

    /// Input: 40 users each granted the same 12 feature codes in turn, more than a customer's codes are scanned
    /// for. Expected: each user holds all 12 once, in the order granted.
    @Test func holdsManyFeatureCodesPerUser() {
        var facts = CustomerFacts()
        let codes = (0..<12).map { "code\($0)" }
        for round in 0..<2 {
            for user in 0..<40 {
                for code in codes {
                    facts.grant(user: "u\(user)", feature: code, at: Provenance(file: "f", line: round * 100 + user))
                }
            }
        }
        #expect(facts.users.count == 40)
        for user in facts.users {
            #expect(user.grants.map(\.feature) == codes)
            #expect(Set(user.grants.map(\.at.line)).count == 1)
            #expect(user.grants[0].at.line < 100)
        }
    }
}
