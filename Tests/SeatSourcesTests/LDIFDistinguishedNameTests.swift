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
}
