import Foundation
import SeatSources
import TestSupport
import Testing

/// Every malformed input refuses the whole file with one line naming file, line, column and the problem.
@Suite struct CSVErrorTests {
    struct BadCase: Sendable, CustomTestStringConvertible {
        var name: String
        var bytes: [UInt8]
        var options = userColumns
        var error: String
        var testDescription: String { name }

        init(_ name: String, _ text: String, options: CSVOptions = userColumns, error: String) {
            self.init(name, Array(text.utf8), options: options, error: error)
        }

        init(_ name: String, _ bytes: [UInt8], options: CSVOptions = userColumns, error: String) {
            self.name = name
            self.bytes = bytes
            self.options = options
            self.error = error
        }
    }

    static let counts = CSVOptions(columns: .counts(customer: "customer", feature: "feature", count: "count"))

    static let cases: [BadCase] = [
        BadCase(
            "empty count as the last field of a file without a final line end (found by fuzz-csv: it trapped)",
            "customer,feature,count\nacme,editor,",
            options: counts,
            error: #"users.csv:2:13: empty count cell (column "count")"#
        ),
        BadCase(
            "empty customer as the last field of a file without a final line end (trapped too)",
            "role,user,customer\r\neditor,ana,",
            error: #"users.csv:2:12: empty customer cell (column "customer")"#
        ),
        BadCase(
            "ragged row",
            "customer,user,role\nacme,a,editor\nacme,b,editor\nacme,c,editor\nacme,d,editor\nacme,e,editor\n"
                + "acme,f,editor,extra\n",
            error: "users.csv:7:1: row has 4 fields, header has 3"
        ),
        BadCase(
            "short row",
            "customer,user,role\r\nacme,a\r\n",
            error: "users.csv:2:1: row has 2 fields, header has 3"
        ),
        BadCase(
            "unterminated quote at end of file",
            "customer,user,role\nacme,a,editor\nacme,\"b,editor\nacme,c,viewer\n",
            error: "users.csv:3:6: unterminated quoted field"
        ),
        BadCase(
            "quote inside an unquoted field",
            "customer,user,role\nacme,ana \"the boss\",editor\n",
            error: "users.csv:2:10: quote inside an unquoted field (a field holding quotes must be quoted, "
                + "with each inner quote doubled)"
        ),
        BadCase(
            "text after a closing quote",
            "customer,user,role\nacme,\"ana\"x,editor\n",
            error: "users.csv:2:11: text after the closing quote of a field"
        ),
        BadCase(
            "configured column missing",
            "Customer,Email Address,Role,Department\nacme,a,editor,x\n",
            options: CSVOptions(columns: .users(customer: "customer", user: "email", role: "role")),
            error: #"users.csv:1: no column "email" in header (have: Customer, Email Address, Role, Department)"#
        ),
        BadCase(
            "missing column in a wide header quotes the first 100 bytes of its names",
            (1...30).map { "column\($0 < 10 ? "0" : "")\($0)" }.joined(separator: ",") + "\n"
                + (1...30).map(String.init).joined(separator: ",") + "\n",
            error: #"users.csv:1: no column "customer" in header (have: "#
                + (1...10).map { "column\($0 < 10 ? "0" : "")\($0)" }.joined(separator: ", ") + ", … (298 bytes))"
        ),
        BadCase(
            "a 300-byte count that is not a number is quoted to 100 bytes",
            "customer,feature,count\nacme,editor," + String(repeating: "x", count: 300) + "\n",
            options: counts,
            error: #"users.csv:2:13: count ""# + String(repeating: "x", count: 100)
                + #"… (300 bytes)" is not a whole number"#
        ),
        BadCase(
            "a line break inside a quoted customer",
            "customer,user,role\nacme,ana,editor\n\"acme\nevil\",ana,editor\n",
            error: #"users.csv:3:1: control character U+000A in customer "acme\nevil""#
        ),
        BadCase(
            "ESC in a user id",
            "customer,user,role\nacme,ana\u{1B}[2J,editor\n",
            error: #"users.csv:2:6: control character U+001B in user "ana\u{1b}[2J""#
        ),
        BadCase(
            "DEL in a role",
            "customer,user,role\nacme,ana,edi\u{7F}tor\n",
            error: #"users.csv:2:10: control character U+007F in role "edi\u{7f}tor""#
        ),
        BadCase(
            "a C1 control in one of several roles of a cell",
            "customer,user,role\nacme,ana,\"editor|vie\u{85}wer\"\n",
            options: CSVOptions(columns: userColumns.columns, roleSeparator: "|"),
            error: #"users.csv:2:10: control character U+0085 in role "vie\u{85}wer""#
        ),
        BadCase(
            "a tab inside a feature code",
            "customer,feature,count\nacme,\"edit\tor\",3\n",
            options: counts,
            error: #"users.csv:2:6: control character U+0009 in feature "edit\tor""#
        ),
        BadCase(
            "duplicate header names differing in case and suffix",
            "customer,Email,role,EMAIL [Required]\nacme,a,editor,b\n",
            options: CSVOptions(columns: .users(customer: "customer", user: "email", role: "role")),
            error: #"users.csv:1:21: duplicate column "EMAIL [Required]" (also field 2)"#
        ),
        BadCase(
            "negative count",
            "customer,feature,count\nacme,editor,-3\n",
            options: counts,
            error: #"users.csv:2:13: count "-3" is negative"#
        ),
        BadCase(
            "decimal count",
            "customer;feature;count\nacme;editor;2,5\n",
            options: counts,
            error: #"users.csv:2:13: count "2,5" is not a whole number"#
        ),
        BadCase(
            "formula in a count cell",
            "customer,feature,count\nacme,editor,=SUM(A1:A3)\n",
            options: counts,
            error: #"users.csv:2:13: count "=SUM(A1:A3)" is not a whole number"#
        ),
        BadCase(
            "count beyond any seat count",
            "customer,feature,count\nacme,editor,99999999999999999999\n",
            options: counts,
            error: #"users.csv:2:13: count "99999999999999999999" is too large"#
        ),
        BadCase(
            "empty count",
            "customer,feature,count\nacme,editor, \n",
            options: counts,
            error: #"users.csv:2:13: empty count cell (column "count")"#
        ),
        BadCase(
            "same customer and feature counted twice",
            "customer,feature,count\nacme,editor,3\nacme,viewer,4\nacme,editor,5\n",
            options: counts,
            error: #"users.csv:4: customer "acme" feature "editor" is counted twice (lines 2 and 4)"#
        ),
        BadCase(
            "empty customer cell",
            "customer,user,role\nacme,a,editor\n  ,b,editor\n",
            error: #"users.csv:3:1: empty customer cell (column "customer")"#
        ),
        BadCase(
            "empty user cell",
            "customer,user,role\nacme,\"\",editor\n",
            error: #"users.csv:2:6: empty user cell (column "user")"#
        ),
        BadCase(
            "NUL byte",
            Array("customer,user,role\nacme,a".utf8) + [0] + Array(",editor\n".utf8),
            error: "users.csv:2:7: NUL byte; a text export has none (is this file binary or UTF-16?)"
        ),
        BadCase(
            "UTF-16 export (Excel Unicode text)",
            [0xFF, 0xFE] + Array("customer\tuser\trole\n".utf8).flatMap { [$0, 0] },
            error: "users.csv:1: not UTF-8 (UTF-16 byte-order mark); export as CSV UTF-8"
        ),
        BadCase(
            "Windows-1252 export",
            Array("customer,user,role\nM".utf8) + [0xFC] + Array("ller,a,editor\n".utf8),
            error: "users.csv:2:2: not UTF-8; export as CSV UTF-8"
        ),
        BadCase(
            "UTF-8 sequence cut at the end of the file",
            Array("customer,user,role\nacme,a,edit".utf8) + [0xC3],
            error: "users.csv:2:12: not UTF-8; export as CSV UTF-8"
        ),
        BadCase(
            "overlong UTF-8 encoding after multibyte text",
            Array("customer,user,role\nmüller,a,".utf8) + [0xC0, 0xAF],
            error: "users.csv:2:10: not UTF-8; export as CSV UTF-8"
        ),
    ]

    @Test(arguments: cases)
    func refusesMalformedFile(_ bad: BadCase) {
        #expect(csvErrorLine(bad.bytes, options: bad.options) == bad.error)
    }

    /// Input: an unterminated quote. Expected: the typed error carries the full path, line and column.
    @Test func errorIsTypedWithThePath() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", "customer,user,role\n\"acme,a,editor\n")
        #expect(throws: CSVError.unterminatedQuote(file: path, line: 2, column: 1)) {
            try CSVSource(settings: SourceSettings(name: "hr", path: path), options: userColumns).read(now: Date())
        }
    }

    /// Input: a user cell of 200,000 bytes, plain and quoted. Expected: refused naming the cell's line and column,
    /// quoting at most 100 bytes of it, in an error line under 300 bytes.
    @Test(arguments: [false, true])
    func refusesACellLongerThan64KiB(quoted: Bool) throws {
        let cell = String(repeating: "u", count: 200_000)
        let text = "customer,user,role\nacme,ana,editor\nacme," + (quoted ? "\"\(cell)\"" : cell) + ",editor\n"
        let line = try #require(csvErrorLine(Array(text.utf8), options: userColumns))
        #expect(
            line.hasPrefix("users.csv:3:6: field longer than 64 KiB (" + String(repeating: "u", count: 100) + "… (")
        )
        #expect(line.utf8.count < 300)
    }

    /// Input: a header of 40,000 short names (about 240 KB) on one line, with its delimiter detected (`,` and `;`)
    /// or configured, and with no line end at all past the first read chunk. Expected: refused as a header line
    /// longer than 64 KiB, naming line 1, in an error line under 300 bytes.
    @Test(arguments: [
        (",", false, true), (";", false, true), (";", true, true), (",", false, false),
    ])
    func refusesAHeaderLineLongerThan64KiB(delimiter: String, configured: Bool, endsItsLine: Bool) throws {
        var header = (0..<40_000).map { "c\($0)" }.joined(separator: delimiter)
        if !endsItsLine { header += String(repeating: "x", count: 2 << 20) }
        let text = header + (endsItsLine ? "\nacme\(delimiter)ana\(delimiter)editor\n" : "")
        var options = userColumns
        if configured { options.delimiter = UInt8(ascii: Unicode.Scalar(delimiter)!) }
        let line = try #require(csvErrorLine(Array(text.utf8), options: options))
        #expect(line == "users.csv:1: header line longer than 64 KiB")
    }

    /// Input: a data row of 70,000 empty fields (a line of commas). Expected: refused as a row longer than 64 KiB.
    @Test func refusesARowLongerThan64KiB() throws {
        let text = "customer,user,role\nacme,ana,editor\n" + String(repeating: ",", count: 70_000) + "\n"
        #expect(csvErrorLine(Array(text.utf8), options: userColumns) == "users.csv:3: row longer than 64 KiB")
    }
}
