import Testing

@testable import SeatSources

private func normalize(_ dn: String) throws -> String {
    var normalizer = DNNormalizer()
    try Array(dn.utf8).withUnsafeBufferPointer { try normalizer.normalize($0) }
    return String(decoding: normalizer.output, as: UTF8.self)
}

@Suite struct LDIFDistinguishedNameTests {
    /// Each row: spellings of one DN as real exports write them, and the one canonical form all must give.
    @Test(arguments: [
        (
            [
                "uid=alice,ou=people,dc=example,dc=com", "UID=Alice,OU=People,DC=Example,DC=COM",
                "uid=alice, ou=people, dc=example, dc=com", " uid = alice , ou=people ,dc=example,dc=com ",
            ],
            "uid=alice,ou=people,dc=example,dc=com"
        ),
        (["o=SGI, c=US", "O=sgi;C=us", "o=\"SGI\", c=US"], "o=sgi,c=us"),
        (["cn=Smith\\, John,ou=x", "cn=\"Smith, John\",ou=x", "cn=Smith\\2C John,ou=x"], "cn=smith\\, john,ou=x"),
        (
            ["CN=Dušan Novák,OU=x", "cn=Du\\C5\\A1an Nov\\C3\\A1k,ou=x", "cn=DU\\c5\\a1AN NOV\\C3\\81K,ou=x"],
            "cn=dušan novák,ou=x"
        ),
        (
            ["OU=Sales+CN=J. Smith,DC=example", "cn=J. Smith + ou=Sales,dc=example"],
            "cn=j. smith+ou=sales,dc=example"
        ),
        (["cn=John   Smith,o=x", "cn=\\ John Smith\\ ,o=x", "cn=john smith,o=x"], "cn=john smith,o=x"),
        (["cn=a\\+b\\\\c,o=x"], "cn=a\\+b\\\\c,o=x"),
        (["cn=\\#hash,o=x"], "cn=\\#hash,o=x"),
        (
            ["1.3.6.1.4.1.1466.0=#04024869,O=X", "1.3.6.1.4.1.1466.0=#04024869 ,o=x"],
            "1.3.6.1.4.1.1466.0=#04024869,o=x"
        ),
        (["cn=a=b,o=x", "cn=a=b, o=x"], "cn=a=b,o=x"),
        (["cn=,o=x", "cn= ,o=x"], "cn=,o=x"),
        (["", "   "], ""),
        (["2.5.4.3=Smith,O=x", "2.5.4.3=smith,o=x"], "2.5.4.3=smith,o=x"),
        (["msDS-cloudExtensionAttribute1=A,o=x"], "msds-cloudextensionattribute1=a,o=x"),
        (["cn=a\\;b\\<c\\>d\\=e\\\"f,o=x"], "cn=a;b<c>d=e\"f,o=x"),
        (["cn=tab\\09,o=x"], "cn=tab\t,o=x"),
    ])
    func normalisesEverySpellingToOneForm(spellings: [String], canonical: String) throws {
        for spelling in spellings {
            #expect(try normalize(spelling) == canonical, "\(spelling)")
        }
    }

    @Test(arguments: [
        ("cn", DNSyntaxError.malformed("RDN 'cn' has no '='")),
        ("cn=a,", .malformed("ends with a separator and no RDN after it")),
        ("cn=a, ", .malformed("ends with a separator and no RDN after it")),
        ("=a,o=x", .malformed("'' is not an attribute type")),
        ("c n=a", .malformed("'c n' is not an attribute type")),
        ("cn=a,,o=x", .malformed("RDN '' has no '='")),
        ("cn=a\\", .malformed("ends with a lone '\\'")),
        ("cn=a\\4", .malformed("'\\' is followed by a single hex digit")),
        ("cn=\"abc", .malformed("unterminated quoted value")),
        ("cn=\"abc\"x,o=y", .malformed("unexpected 'x' after a value")),
        ("cn=\\FF,o=x", .invalidUTF8),
        // Issue 10: RFC 4514 for every DN: a type is a descriptor or a numeric OID, an escape is `\\` and a
        // special character or two hex digits, and `#` starts hex pairs.
        ("1..1=jsmith", .malformed("'1..1' is not an attribute type")),
        ("1.1.=jsmith", .malformed("'1.1.' is not an attribute type")),
        ("-attr=jsmith", .malformed("'-attr' is not an attribute type")),
        ("at_tr=jsmith", .malformed("'at_tr' is not an attribute type")),
        ("2cn=jsmith", .malformed("'2cn' is not an attribute type")),
        ("UID=john\\GGsmith", .malformed("'\\' must be followed by a special character or two hex digits")),
        ("cn=\\F", .malformed("'\\' is followed by a single hex digit")),
        ("1.1.1=#F", .malformed("a value starting with '#' must be hex digit pairs (a BER encoding)")),
        ("1.1.1=#", .malformed("a value starting with '#' must be hex digit pairs (a BER encoding)")),
        ("1.1.1=#0G", .malformed("a value starting with '#' must be hex digit pairs (a BER encoding)")),
        // Issue 15: `bob\00` is not another user than `bob`.
        ("uid=bob\\00,o=x", .malformed("a value holds a control character")),
        ("uid=b\\C2\\85ob,o=x", .malformed("a value holds a control character")),
    ])
    func rejectsWhatIsNoDN(dn: String, error: DNSyntaxError) {
        #expect(throws: error) { try normalize(dn) }
    }

    @Test func numbersEachDistinctDNOnce() {
        var table = DNTable()
        var ids: [Int32] = []
        for index in 0..<5000 {
            let dn = Array("uid=user\(index % 2500),ou=people".utf8)
            ids.append(dn.withUnsafeBufferPointer { table.id(of: $0) })
        }
        #expect(table.count == 2500)
        #expect(ids[0] == ids[2500] && ids[2499] == ids[4999] && ids[0] != ids[1])
        #expect(table.dn(ids[1234]) == "uid=user1234,ou=people")
        #expect([UInt8]().withUnsafeBufferPointer { table.id(of: $0) } == 2500)
    }

    @Test func keepsEveryDNOnceItsIndexIsDropped() {
        // Input: DNs of one RDN, the empty DN, and DNs under three parents in runs and interleaved.
        // Expected: after dropIndex, each number still gives back the DN it was given for.
        var table = DNTable()
        var dns = ["dc=com", "", "uid=a,ou=people,dc=com", "uid=b,ou=people,dc=com", "cn=x,ou=groups,dc=com"]
        dns += (0..<300).map { "uid=u\($0),ou=\(["people", "groups", "staff"][$0 % 3]),dc=com" }
        dns += ["uid=c\\,d,ou=people,dc=com", "dc=org"]
        let ids = dns.map { dn in Array(dn.utf8).withUnsafeBufferPointer { table.id(of: $0) } }
        table.dropIndex()
        #expect(ids.map { table.dn($0) } == dns)
    }

    @Test func findsEachDNsParentAcrossBlocksOfNumbers() {
        // Input: 3,000 DNs in runs under one parent of 1, 255, 256, 257, 2, 600, ... DNs, so that runs start and
        // end on both sides of the 256-number blocks that index them, and a run spans several blocks.
        // Expected: after dropIndex, each number still gives back the DN it was given for.
        var table = DNTable()
        var dns: [String] = []
        let lengths = [1, 255, 256, 257, 2, 600, 1, 1, 511, 3]
        var run = 0
        while dns.count < 3000 {
            let parent = run % 2 == 0 ? "ou=people,o=c\(run)" : "ou=staff,o=c\(run)"
            dns += (0..<lengths[run % lengths.count]).map { "uid=u\(dns.count + $0),\(parent)" }
            run += 1
        }
        let ids = dns.map { dn in Array(dn.utf8).withUnsafeBufferPointer { table.id(of: $0) } }
        table.dropIndex()
        let wrong = ids.indices.filter { table.dn(ids[$0]) != dns[$0] }
        #expect(wrong.isEmpty, "wrong DNs for \(wrong.count) numbers, first \(wrong.prefix(3).map { dns[$0] })")
    }

    @Test func numbersHeldDNsAsIfTheyHadBeenNumberedOnArrival() {
        // Input: DNs held in runs under changing parents, with DNs of one RDN, repeats and a DN already numbered
        // among them; the last fourteen released, three of them inside a run, and others held in their place;
        // then a range starting inside a run numbered, then the rest, then all of them again.
        // Expected: the numbers a table numbering the same DNs in the same order gives, and each number gives back
        // its DN once the index is dropped; numbering again gives the same numbers.
        var dns = (0..<700).map { "uid=u\($0 % 650),ou=\($0 / 90 % 3 == 0 ? "people" : "staff"),o=c\($0 / 180)" }
        dns.insert(contentsOf: ["uid=root", "uid=u3,ou=people,o=c0", "cn=x"], at: 95)
        var table = DNTable()
        var expected = DNTable()
        for dn in ["uid=u1,ou=people,o=c0", "cn=x"] {
            _ = Array(dn.utf8).withUnsafeBufferPointer { table.id(of: $0) }
            _ = Array(dn.utf8).withUnsafeBufferPointer { expected.id(of: $0) }
        }
        for dn in dns + (0..<11).map({ "uid=gone\($0),ou=gone" }) {
            Array(dn.utf8).withUnsafeBufferPointer { table.hold($0) }
        }
        table.releaseHeld(from: dns.count - 3)
        dns.removeLast(3)
        dns += (0..<20).map { "uid=late\($0),ou=people,o=c\($0 % 2)" }
        for dn in dns.suffix(20) { Array(dn.utf8).withUnsafeBufferPointer { table.hold($0) } }
        #expect(table.heldCount == dns.count)

        var ids: [Int32] = []
        table.numberHeld(95..<dns.count, appendingTo: &ids)
        table.numberHeld(0..<95, appendingTo: &ids)
        var again: [Int32] = []
        table.numberHeld(0..<dns.count, appendingTo: &again)
        let order = Array(95..<dns.count) + Array(0..<95)
        let wanted = order.map { Array(dns[$0].utf8).withUnsafeBufferPointer { expected.id(of: $0) } }
        #expect(ids == wanted)
        #expect(again == (0..<dns.count).map { wanted[order.firstIndex(of: $0)!] })
        table.dropIndex()
        #expect(table.heldCount == 0)
        let wrong = order.indices.filter { table.dn(ids[$0]) != dns[order[$0]] }
        #expect(wrong.isEmpty, "wrong DNs for \(wrong.count) numbers, first \(wrong.prefix(3).map { dns[order[$0]] })")
    }

    @Test func keepsTheSmallestDNsInByteOrder() {
        // Input: 2,000 DNs offered in a shuffled order: prefixes of one another ("uid=a" and "uid=ab"), ids that
        // differ in one byte, and non-ASCII ones.
        // Expected: the ten smallest as a full sort orders them, whatever the order they came in.
        var dns = (0..<1990).map { "uid=u\($0 * 7919 % 1990),ou=people" }
        dns += [
            "uid=a", "uid=ab", "uid=a,ou=x", "uid=\u{e9}t\u{e9}", "uid=\u{c9}", "uid=", "uid=u1", "u", "uid=b",
            "uid=aa",
        ]
        var generator = SystemRandomNumberGenerator()
        for _ in 0..<5 {
            var smallest = LDIFSmallestDNs(limit: 10)
            for dn in dns.shuffled(using: &generator) {
                Array(dn.utf8).withUnsafeBufferPointer { smallest.offer($0) }
            }
            #expect(smallest.kept == Array(Set(dns).sorted().prefix(10)))
        }
    }
}
