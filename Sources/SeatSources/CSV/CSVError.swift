/// Why a CSV file could not be read; each reads as one log line starting with `file:line:column`.
package enum CSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file starts with a UTF-16 byte-order mark (Excel "Unicode text").
    case utf16(file: String)
    /// A byte sequence that is not UTF-8, such as a Windows code page export.
    case notUTF8(file: String, line: Int, column: Int)
    /// A NUL byte, which no text export contains.
    case nulByte(file: String, line: Int, column: Int)
    /// The file ends inside a quoted field; the position is the opening quote.
    case unterminatedQuote(file: String, line: Int, column: Int)
    /// A `"` in the middle of a field that did not start with one.
    case quoteInUnquotedField(file: String, line: Int, column: Int)
    /// Something other than a delimiter or line end right after a closing quote.
    case textAfterClosingQuote(file: String, line: Int, column: Int)
    /// Two header cells with the same name (compared as columns are matched).
    case duplicateHeader(file: String, line: Int, column: Int, name: String, firstField: Int)
    /// A configured column that the header does not have.
    case missingColumn(file: String, line: Int, name: String, have: [String])
    /// A row whose number of fields differs from the header's.
    case raggedRow(file: String, line: Int, fields: Int, headerFields: Int)
    /// An empty customer, user or feature cell.
    case emptyCell(file: String, line: Int, column: Int, role: String, header: String)
    /// A count cell holding a negative number.
    case negativeCount(file: String, line: Int, column: Int, value: String)
    /// A count cell that is not a whole number.
    case notACount(file: String, line: Int, column: Int, value: String)
    /// A count cell too large to be a seat count.
    case countTooLarge(file: String, line: Int, column: Int, value: String)
    /// A field longer than ``InputLimits/maxValueBytes``; `excerpt` is its start, already quoted.
    case valueTooLong(file: String, line: Int, column: Int, excerpt: String)
    /// A header or row longer than ``InputLimits/maxValueBytes``; `line` is where it starts.
    case recordTooLong(file: String, line: Int, isHeader: Bool)
    /// A customer, user, role or feature cell holding a control character (`role` names which).
    case controlCharacter(file: String, line: Int, column: Int, role: String, character: String, value: String)
    /// The same customer and feature code counted on two rows.
    case countedTwice(file: String, line: Int, customer: String, feature: String, firstLine: Int)

    package var description: String {
        switch self {
        case .utf16(let file):
            return "\(file):1: not UTF-8 (UTF-16 byte-order mark); export as CSV UTF-8"
        case .notUTF8(let file, let line, let column):
            return "\(file):\(line):\(column): not UTF-8; export as CSV UTF-8"
        case .nulByte(let file, let line, let column):
            return "\(file):\(line):\(column): NUL byte; a text export has none (is this file binary or UTF-16?)"
        case .unterminatedQuote(let file, let line, let column):
            return "\(file):\(line):\(column): unterminated quoted field"
        case .quoteInUnquotedField(let file, let line, let column):
            return "\(file):\(line):\(column): quote inside an unquoted field (a field holding quotes must be quoted, "
                + "with each inner quote doubled)"
        case .textAfterClosingQuote(let file, let line, let column):
            return "\(file):\(line):\(column): text after the closing quote of a field"
        case .duplicateHeader(let file, let line, let column, let name, let firstField):
            return
                "\(file):\(line):\(column): duplicate column \"\(InputExcerpt.quote(name))\" (also field \(firstField))"
        case .missingColumn(let file, let line, let name, let have):
            return "\(file):\(line): no column \"\(name)\" in header (have: "
                + "\(InputExcerpt.quote(have.joined(separator: ", "))))"
        case .raggedRow(let file, let line, let fields, let headerFields):
            return "\(file):\(line):1: row has \(fields) fields, header has \(headerFields)"
        case .emptyCell(let file, let line, let column, let role, let header):
            return "\(file):\(line):\(column): empty \(role) cell (column \"\(header)\")"
        case .negativeCount(let file, let line, let column, let value):
            return "\(file):\(line):\(column): count \"\(InputExcerpt.quote(value))\" is negative"
        case .notACount(let file, let line, let column, let value):
            return "\(file):\(line):\(column): count \"\(InputExcerpt.quote(value))\" is not a whole number"
        case .countTooLarge(let file, let line, let column, let value):
            return "\(file):\(line):\(column): count \"\(InputExcerpt.quote(value))\" is too large"
        case .valueTooLong(let file, let line, let column, let excerpt):
            return "\(file):\(line):\(column): field longer than \(InputLimits.maxValueText) (\(excerpt))"
        case .recordTooLong(let file, let line, let isHeader):
            return "\(file):\(line): \(isHeader ? "header line" : "row") longer than \(InputLimits.maxValueText)"
        case .controlCharacter(let file, let line, let column, let role, let character, let value):
            return
                "\(file):\(line):\(column): control character \(character) in \(role) \"\(InputExcerpt.quote(value))\""
        case .countedTwice(let file, let line, let customer, let feature, let firstLine):
            return "\(file):\(line): customer \"\(InputExcerpt.quote(customer))\" "
                + "feature \"\(InputExcerpt.quote(feature))\" is counted twice "
                + "(lines \(firstLine) and \(line))"
        }
    }
}
