import SeatSources
import Testing

/// The tokenizer sees a file in chunks that may end anywhere: inside a byte-order mark, between CR and LF,
/// inside a quoted field or a UTF-8 character. Whatever the chunking, records and errors must be the same.
@Suite struct CSVTokenizerTests {
    struct Tokenized: Equatable {
        var records: [Row]
        var error: String?
        var delimiter: UInt8?
    }

    struct Row: Equatable, CustomStringConvertible {
        var line: Int
        var fields: [String]
        var description: String { "\(line): \(fields)" }
    }

    /// Feeds `bytes` in chunks of `chunkSize` (everything at once for `nil`).
    static func tokenize(_ bytes: [UInt8], chunkSize: Int?, delimiter: UInt8? = nil) -> Tokenized {
        var tokenizer = CSVTokenizer(file: "t.csv", delimiter: delimiter)
        var rows: [Row] = []
        let collect: (CSVRecord) -> Void = { record in
            rows.append(Row(line: record.line, fields: (0..<record.fieldCount).map { record.field($0) }))
        }
        do {
            let size = max(chunkSize ?? bytes.count, 1)
            for start in stride(from: 0, to: bytes.count, by: size) {
                let chunk = Array(bytes[start..<min(start + size, bytes.count)])
                try chunk.withUnsafeBytes { try tokenizer.feed($0, collect) }
            }
            try tokenizer.finish(collect)
            return Tokenized(records: rows, error: nil, delimiter: tokenizer.delimiter)
        } catch {
            return Tokenized(records: rows, error: String(describing: error), delimiter: tokenizer.delimiter)
        }
    }

    /// Fixture files and small inputs that end inside quotes and inside a UTF-8 character.
    /// A fixture file, or literal bytes.
    struct Input: Sendable, CustomTestStringConvertible {
        var testDescription: String
        var literal: [UInt8]?

        func bytes() throws -> [UInt8] { try literal ?? csvFixture(testDescription) }
    }

    static let inputs: [Input] = [
        Input(testDescription: "entra-users.csv"), Input(testDescription: "excel-de.csv"),
        Input(testDescription: "quoted-newlines.csv"), Input(testDescription: "mac-cr.csv"),
        Input(testDescription: "tab-delimited.csv"),
        Input(
            testDescription: "quoted CRLF and doubled quotes",
            literal: Array("a,b\r\n\"x\r\ny\",\"€\"\"\"\r\n\r\n,\r\n".utf8)
        ),
        Input(testDescription: "unterminated quote", literal: Array("a,b\n\"open,b\n".utf8)),
        Input(testDescription: "cut inside a UTF-8 character", literal: Array("a,b\nx,\u{1F600}".utf8) + [0xF0, 0x9F]),
    ]

    /// Input: each input above, fed whole and in chunks of 1 to 7 bytes.
    /// Expected: identical records, lines, detected delimiter and error every time.
    @Test(arguments: inputs, [1, 2, 3, 4, 5, 7])
    func chunkingDoesNotChangeTheResult(_ input: Input, _ chunkSize: Int) throws {
        let bytes = try input.bytes()
        let whole = Self.tokenize(bytes, chunkSize: nil)
        #expect(!whole.records.isEmpty)
        #expect(Self.tokenize(bytes, chunkSize: chunkSize) == whole)
    }

    /// Input: doubled quotes, a quoted CRLF, a multibyte character, a CRLF blank line and a delimiter-only line.
    /// Expected: two records with the quote unescaped and the line break kept; blank lines skipped.
    @Test func unescapesQuotesAndKeepsQuotedLineBreaks() throws {
        let result = Self.tokenize(try Self.inputs[5].bytes(), chunkSize: nil)
        #expect(result.error == nil)
        #expect(result.records == [Row(line: 1, fields: ["a", "b"]), Row(line: 2, fields: ["x\r\ny", "€\""])])
    }

    /// Input: header lines counting `,` `;` and tab outside quotes, after blank lines. Expected: the most
    /// frequent wins, ties going to `,` then `;`.
    @Test(arguments: [
        ("a,b;c;d\n", UInt8(ascii: ";")),
        ("\"x;y;z\",b,c\n", UInt8(ascii: ",")),
        ("\n\n a\tb\tc,d\n", UInt8(ascii: "\t")),
        ("a;b,c\n", UInt8(ascii: ",")),
        ("single\n", UInt8(ascii: ",")),
    ])
    func detectsTheDelimiterFromTheHeaderLine(_ header: String, _ expected: UInt8) {
        #expect(Self.tokenize(Array(header.utf8), chunkSize: 2).delimiter == expected)
    }
}
