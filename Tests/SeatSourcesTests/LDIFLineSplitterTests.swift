import Testing

@testable import SeatSources

/// Collects what the splitter hands on, one string per logical line as `number:text`, one array per record.
private struct Collector: LDIFLineSink {
    var records: [[String]] = []
    var open: [String] = []

    mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws {
        open.append("\(number):" + String(decoding: line, as: UTF8.self))
    }

    mutating func endOfRecord() throws {
        records.append(open)
        open = []
    }
}

/// Splits `bytes` fed in chunks of `chunkSize` bytes.
private func split(_ bytes: [UInt8], chunkSize: Int) throws -> [[String]] {
    var splitter = LDIFLineSplitter(file: "t.ldif")
    var collector = Collector()
    var start = 0
    while start < bytes.count {
        let end = min(start + chunkSize, bytes.count)
        try bytes[start..<end].withUnsafeBytes { try splitter.feed($0, into: &collector) }
        start = end
    }
    try splitter.finish(into: &collector)
    #expect(collector.open.isEmpty)
    return collector.records
}

/// `text` as UTF-16 little-endian bytes, as Windows "Unicode" exports write it.
private func utf16LE(_ text: String) -> [UInt8] {
    text.utf16.flatMap { [UInt8($0 & 0xFF), UInt8($0 >> 8)] }
}

/// Every case is split whole and in chunks of 1, 2, 3 and 7 bytes, so that every line end, fold and UTF-8 sequence
/// falls on a chunk boundary somewhere; all must give the same lines.
private let chunkSizes = [1, 2, 3, 7, 1 << 20]

@Suite struct LDIFLineSplitterTests {
    struct Case: CustomTestStringConvertible, Sendable {
        var name: String
        var input: [UInt8]
        var records: [[String]]
        var testDescription: String { name }

        init(_ name: String, _ input: String, _ records: [[String]]) {
            self.init(name, Array(input.utf8), records)
        }

        init(_ name: String, _ input: [UInt8], _ records: [[String]]) {
            self.name = name
            self.input = input
            self.records = records
        }
    }

    static let cases: [Case] = [
        Case(
            "two records, LF",
            "dn: cn=a\ncn: a\n\ndn: cn=b\ncn: b\n",
            [["1:dn: cn=a", "2:cn: a"], ["4:dn: cn=b", "5:cn: b"]]
        ),
        Case(
            "two records, CRLF",
            "dn: cn=a\r\ncn: a\r\n\r\ndn: cn=b\r\ncn: b\r\n",
            [["1:dn: cn=a", "2:cn: a"], ["4:dn: cn=b", "5:cn: b"]]
        ),
        Case(
            "fold mid-token and before a comma: exactly one leading space goes",
            "dn: cn=edi\n tors,ou=groups\n ,o=acme\nmember: uid=a\n\n",
            [["1:dn: cn=editors,ou=groups,o=acme", "4:member: uid=a"]]
        ),
        Case(
            "a space before a fold is data; a second leading space is data",
            "cn: Initech \n Viewers\ndescription: a\n  b\n",
            [["1:cn: Initech Viewers", "3:description: a b"]]
        ),
        Case(
            "comments before, inside (folded) and after a record are dropped",
            "# export of 2025-03-14\n# entry-id: 7\ndn: cn=a\n# a comment that is\n  folded\ncn: a\n# trailing\n",
            [["3:dn: cn=a", "6:cn: a"]]
        ),
        Case(
            "leading and repeated blank lines; no final newline",
            "\n\ndn: cn=a\n\n\n\ndn: cn=b\ncn: b",
            [["3:dn: cn=a"], ["7:dn: cn=b", "8:cn: b"]]
        ),
        Case(
            "a fold splitting a UTF-8 sequence rejoins the bytes",
            Array("cn: Bj".utf8) + [0xC3, ASCIIByte.lineFeed, ASCIIByte.space, 0xB6] + Array("rn\n".utf8),
            [["1:cn: Björn"]]
        ),
        Case(
            "a UTF-8 byte order mark before the first line is skipped",
            [0xEF, 0xBB, 0xBF] + Array("version: 1\n\ndn: cn=a\n".utf8),
            [["1:version: 1"], ["3:dn: cn=a"]]
        ),
        Case("only comments: no record", "# nothing\n#  here\n\n", []),
        Case(
            "a lone CR ends a line, as classic Mac OS writes them (issue 10: the file was one line)",
            "dn: cn=a\rcn: a\r\rdn: cn=b\rcn: b\r",
            [["1:dn: cn=a", "2:cn: a"], ["4:dn: cn=b", "5:cn: b"]]
        ),
        Case(
            "a CR file starting with a comment is not one comment (issue 10)",
            "# export\rdn: cn=a\r b\rcn: a",
            [["2:dn: cn=ab", "4:cn: a"]]
        ),
        Case(
            "CR, CRLF and LF mixed; CR CR without LF is two line ends",
            "dn: cn=a\r\ncn: a\rsn: b\n\r\rdn: cn=b\r\r",
            [["1:dn: cn=a", "2:cn: a", "3:sn: b"], ["6:dn: cn=b"]]
        ),
        Case(
            "a continuation line of a single space is a fold that adds nothing (issue 10)",
            "dn: cn=a\n \ndescription: x\n \n y\n",
            [["1:dn: cn=a", "3:description: xy"]]
        ),
    ]

    @Test(arguments: cases)
    func splitsIntoLogicalLinesAndRecords(_ example: Case) throws {
        for size in chunkSizes {
            #expect(try split(example.input, chunkSize: size) == example.records, "chunk size \(size)")
        }
    }

    struct Failure: CustomTestStringConvertible, Sendable {
        var name: String
        var input: [UInt8]
        var error: LDIFError
        var testDescription: String { name }

        init(name: String, input: String, error: LDIFError) {
            self.init(name: name, input: Array(input.utf8), error: error)
        }

        init(name: String, input: [UInt8], error: LDIFError) {
            self.name = name
            self.input = input
            self.error = error
        }
    }

    static let failures: [Failure] = [
        Failure(
            name: "a line of spaces between records is a continuation, not a separator",
            input: "dn: cn=a\ncn: a\n  \ndn: cn=b\n",
            error: .whitespaceOnlyLine(file: "t.ldif", line: 3)
        ),
        Failure(
            name: "a line of two spaces",
            input: "dn: cn=a\n  \ndn: cn=b\n",
            error: .whitespaceOnlyLine(file: "t.ldif", line: 2)
        ),
        Failure(
            name: "a line ending in CR CR LF",
            input: "dn: cn=a\ncn: a\r\r\ndn: cn=b\n",
            error: .strayCarriageReturn(file: "t.ldif", line: 2)
        ),
        Failure(
            name: "UTF-16LE with a byte-order mark and CRLF: named UTF-16, not CR CR LF",
            input: [0xFF, 0xFE] + utf16LE("dn: cn=a\r\ncn: a\r\n"),
            error: .utf16(file: "t.ldif")
        ),
        Failure(
            name: "UTF-16BE without a byte-order mark",
            input: [0] + utf16LE("dn: cn=a\n").dropLast(),
            error: .utf16(file: "t.ldif")
        ),
        Failure(
            name: "a fold as the first line of the file",
            input: " dn: cn=a\n",
            error: .continuationWithoutLine(file: "t.ldif", line: 1)
        ),
        Failure(
            name: "a fold right after a record separator",
            input: "dn: cn=a\n\n cn: a\n",
            error: .continuationWithoutLine(file: "t.ldif", line: 3)
        ),
    ]

    @Test(arguments: failures)
    func rejectsBrokenLayout(_ example: Failure) {
        for size in chunkSizes {
            #expect(throws: example.error, "chunk size \(size)") {
                try split(example.input, chunkSize: size)
            }
        }
    }
}
