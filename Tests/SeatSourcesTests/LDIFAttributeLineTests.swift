import Testing

@testable import SeatSources

/// The parts of a parsed line as text: type, options, encoding, value.
private func parts(_ text: String) throws -> [String] {
    let bytes = Array(text.utf8)
    return try bytes.withUnsafeBufferPointer { line in
        let attribute = try LDIFAttributeLine(parsing: line, file: "t.ldif", number: 9)
        return [
            LDIFAttributeLine.text(line[attribute.type]),
            LDIFAttributeLine.text(line[attribute.options]),
            "\(attribute.encoding)",
            LDIFAttributeLine.text(line[attribute.value]),
        ]
    }
}

private func decode(_ text: String) -> [UInt8]? {
    var output: [UInt8] = []
    let valid = Array(text.utf8).withUnsafeBufferPointer { LDIFBase64.decode($0, into: &output) }
    return valid ? output : nil
}

@Suite struct LDIFAttributeLineTests {
    @Test(arguments: [
        ("cn: editors", ["cn", "", "plain", "editors"]),
        ("cn:editors", ["cn", "", "plain", "editors"]),
        ("cn:   two  spaces kept inside ", ["cn", "", "plain", "two  spaces kept inside "]),
        ("member:", ["member", "", "plain", ""]),
        ("member: ", ["member", "", "plain", ""]),
        ("dn:: Y249YQ==", ["dn", "", "base64", "Y249YQ=="]),
        ("jpegPhoto:< file:///etc/passwd", ["jpegPhoto", "", "url", "file:///etc/passwd"]),
        ("member;range=0-1499: cn=a", ["member", "range=0-1499", "plain", "cn=a"]),
        ("CN;lang-en-US;x-vendor_opt: Editors", ["CN", "lang-en-US;x-vendor_opt", "plain", "Editors"]),
        ("2.5.4.3: oid typed", ["2.5.4.3", "", "plain", "oid typed"]),
        ("description: a: b", ["description", "", "plain", "a: b"]),
    ])
    func splitsDescriptionAndValue(line: String, expected: [String]) throws {
        #expect(try parts(line) == expected)
    }

    @Test(arguments: [
        ("objectClass top", LDIFError.missingColon(file: "t.ldif", line: 9)),
        ("memb", .missingColon(file: "t.ldif", line: 9)),
        (": value", .badAttributeDescription(file: "t.ldif", line: 9, description: "")),
        (";lang-de: value", .badAttributeDescription(file: "t.ldif", line: 9, description: ";lang-de")),
        ("Distinguished Name: x", .badAttributeDescription(file: "t.ldif", line: 9, description: "Distinguished Name")),
    ])
    func rejectsLinesThatAreNoAttribute(line: String, error: LDIFError) {
        #expect(throws: error) { try parts(line) }
    }

    @Test func findsOptionsCaseInsensitively() {
        let bytes = Array("member;X-Vendor;Range=1500-*: cn=a".utf8)
        bytes.withUnsafeBufferPointer { line in
            let attribute = try! LDIFAttributeLine(parsing: line, file: "t.ldif", number: 1)
            let range = attribute.option(startingWith: Array("range=".utf8), in: line)
            #expect(range.map { LDIFAttributeLine.text(line[$0]) } == "Range=1500-*")
            #expect(attribute.option(startingWith: Array("deleted".utf8), in: line) == nil)
            #expect(attribute.typeIs(Array("member".utf8), in: line))
            #expect(!attribute.typeIs(Array("members".utf8), in: line))
            #expect(attribute.attributeDescription(in: line) == "member;X-Vendor;Range=1500-*")
        }
    }

    @Test(arguments: [
        ("", [UInt8]()),
        ("Y249YQ==", Array("cn=a".utf8)),
        ("Y249YWI=", Array("cn=ab".utf8)),
        ("Y249YWJj", Array("cn=abc".utf8)),
        ("  Y249YQ==  ", Array("cn=a".utf8)),
        ("w6k=", [0xC3, 0xA9]),
        ("+/+/", [0xFB, 0xFF, 0xBF]),
    ])
    func decodesBase64(text: String, bytes: [UInt8]) {
        #expect(decode(text) == bytes)
    }

    @Test(arguments: ["Y249YQ", "Y249YQ=", "Y2 9YQ==", "Y249*Q==", "Y2=9YQ==", "Y249Y===", "====", "Y249YQ==Y249"])
    func rejectsBrokenBase64(text: String) {
        #expect(decode(text) == nil)
    }
}
