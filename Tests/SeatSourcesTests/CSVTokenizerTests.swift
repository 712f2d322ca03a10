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
        /// Where each field starts, as `line:column`; compared only where a test collects them.
        var starts: [String]? = nil
        var description: String { "\(line): \(fields)" + (starts.map { " at \($0)" } ?? "") }
    }

    /// Feeds `bytes` in chunks of `chunkSize` (everything at once for `nil`); `positions` also collects where each
    /// field starts.
    static func tokenize(
        _ bytes: [UInt8],
        chunkSize: Int?,
        delimiter: UInt8? = nil,
        positions: Bool = false
    ) -> Tokenized {
        var tokenizer = CSVTokenizer(file: "t.csv", delimiter: delimiter)
        var rows: [Row] = []
        let collect: (CSVRecord) -> Void = { record in
            let fields = (0..<record.fieldCount)
            var row = Row(line: record.line, fields: fields.map { record.field($0) })
            if positions {
                row.starts = fields.map {
                    "\(record.position(ofField: $0).line):\(record.position(ofField: $0).column)"
                }
            }
            rows.append(row)
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
        let whole = Self.tokenize(bytes, chunkSize: nil, positions: true)
        #expect(!whole.records.isEmpty)
        #expect(Self.tokenize(bytes, chunkSize: chunkSize, positions: true) == whole)
    }

    /// Input: 3,000 generated rows mixing what the one-go path for simple records takes (plain and quoted fields,
    /// empty ones, LF, CRLF and CR line ends, blank lines) with what it leaves to the general path (doubled quotes,
    /// quoted line breaks, spaces around quotes, tabs, non-ASCII), fed whole, in chunks of 1 to 7 bytes (where
    /// records rarely fit a chunk) and of 64 and 4096. Expected: the same records, lines and field positions.
    @Test(arguments: [1, 2, 3, 7, 64, 4096])
    func simpleAndGeneralRecordsAgree(_ chunkSize: Int) {
        var random = SplitMix(seed: 42)
        let cells = [
            "ana", "", "  bo  ", "\"Sales, EMEA\"", "\"\"", "\"say \"\"hi\"\"\"", "\"two\r\nlines\"", " \"padded\" ",
            "tab\there", "Zoë", "x", "\"q\"", "1234567890abcdefghij", "\"open;semi\"", "a b c",
        ]
        let ends = ["\n", "\r\n", "\r", "\r\n\r\n", "\n\n"]
        var text = "customer,user,role\r\n"
        for _ in 0..<3_000 {
            let count = 1 + random.next(below: 5)
            text += (0..<count).map { _ in cells[random.next(below: cells.count)] }.joined(separator: ",")
            text += ends[random.next(below: ends.count)]
        }
        let bytes = Array(text.utf8)
        let whole = Self.tokenize(bytes, chunkSize: nil, positions: true)
        #expect(whole.error == nil)
        #expect(whole.records.count > 2_000)
        #expect(Self.tokenize(bytes, chunkSize: chunkSize, positions: true) == whole)
    }

    /// A small deterministic generator, so that a failing input can be made again.
    struct SplitMix {
        var state: UInt64
        init(seed: UInt64) { state = seed }

        mutating func next(below bound: Int) -> Int {
            state &+= 0x9E37_79B9_7F4A_7C15
            var value = state
            value = (value ^ (value >> 30)) &* 0xBF58_476D_1CE4_E5B9
            value = (value ^ (value >> 27)) &* 0x94D0_49BB_1331_11EB
            return Int((value ^ (value >> 31)) % UInt64(bound))
        }
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
