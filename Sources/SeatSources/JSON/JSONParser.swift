import TextRules

/// Why JSON text could not be parsed, before the file name is attached.
enum JSONSyntaxError: Error, Equatable {
    /// The text stops before the document is complete; `line` is the last line holding anything.
    case truncated(line: Int)
    case malformed(line: Int, column: Int, problem: String)
    case notUTF8(line: Int, column: Int)
}

/// Parses JSON text (RFC 8259) into ``JSONNode``s that remember their line.
///
/// Foundation's `JSONSerialization` reports neither lines nor whether the text merely stopped early, and a
/// snapshot cut off mid-write must be told apart from a malformed one. Repeated object keys are refused:
/// a writer that emits two `"active"` keys has a bug, and which one wins is not a guess to make about seats.
struct JSONParser {
    /// Deeper than any seat snapshot nests, shallow enough that hostile input cannot exhaust the stack.
    static let maximumDepth = 64

    private let bytes: [UInt8]
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0

    private init(_ bytes: [UInt8]) {
        self.bytes = bytes
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
            lineStart = 3
        }
    }

    /// Parses one JSON document filling all of `bytes` (a UTF-8 byte-order mark is allowed).
    /// - Throws: ``JSONSyntaxError``.
    static func parse(_ bytes: [UInt8]) throws(JSONSyntaxError) -> JSONNode {
        var parser = JSONParser(bytes)
        let root = try parser.value()
        parser.skipWhitespace()
        if parser.index < bytes.count { throw parser.malformed("unexpected text after the JSON document") }
        return root
    }

    private mutating func value() throws(JSONSyntaxError) -> JSONNode {
        skipWhitespace()
        guard index < bytes.count else { throw truncated() }
        let line = self.line
        switch bytes[index] {
        case UInt8(ascii: "{"): return JSONNode(value: .object(try object()), line: line)
        case UInt8(ascii: "["): return JSONNode(value: .array(try array()), line: line)
        case UInt8(ascii: "\""): return JSONNode(value: .string(try string()), line: line)
        case UInt8(ascii: "t"):
            try literal("true")
            return JSONNode(value: .bool(true), line: line)
        case UInt8(ascii: "f"):
            try literal("false")
            return JSONNode(value: .bool(false), line: line)
        case UInt8(ascii: "n"):
            try literal("null")
            return JSONNode(value: .null, line: line)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            return JSONNode(value: .number(try number()), line: line)
        default:
            throw malformed("expected a JSON value")
        }
    }

    private mutating func object() throws(JSONSyntaxError) -> [JSONNode.Member] {
        try enter()
        defer { depth -= 1 }
        index += 1
        var members: [JSONNode.Member] = []
        // Built only for an object with more members than a scan should pass over: a snapshot's objects hold a
        // handful, and hashing every key of every user was a tenth of reading one.
        var keys: Set<String> = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") {
            index += 1
            return members
        }
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw malformed("expected a string key") }
            let keyLine = line
            let keyOffset = index
            let key = try string()
            guard isNew(key, among: members, keys: &keys) else {
                throw .malformed(
                    line: keyLine,
                    column: column(at: keyOffset),
                    problem: "repeated key \"\(InputExcerpt.quote(key))\""
                )
            }
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else {
                throw malformed("expected ':' after the key \"\(InputExcerpt.quote(key))\"")
            }
            index += 1
            members.append(JSONNode.Member(key: key, node: try value()))
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"):
                index += 1
                return members
            default: throw malformed("expected ',' or '}' after the value of \"\(InputExcerpt.quote(key))\"")
            }
        }
    }

    /// Whether no member of `members` has `key`; `keys` holds the keys of `members` once there are more than
    /// ``keyScanLimit``.
    private func isNew(_ key: String, among members: [JSONNode.Member], keys: inout Set<String>) -> Bool {
        if members.count < Self.keyScanLimit { return !members.contains { $0.key == key } }
        if keys.isEmpty { keys = Set(members.lazy.map(\.key)) }
        return keys.insert(key).inserted
    }

    private static let keyScanLimit = 16

    private mutating func array() throws(JSONSyntaxError) -> [JSONNode] {
        try enter()
        defer { depth -= 1 }
        index += 1
        var elements: [JSONNode] = []
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") {
            index += 1
            return elements
        }
        while true {
            elements.append(try value())
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"):
                index += 1
                return elements
            default: throw malformed("expected ',' or ']' after an array element")
            }
        }
    }

    private mutating func string() throws(JSONSyntaxError) -> String {
        let startLine = line
        let startOffset = index
        if let text = try plainString() { return text }
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw truncated() }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw .notUTF8(line: startLine, column: column(at: startOffset))
                }
                return text
            case UInt8(ascii: "\\"):
                index += 1
                try escape(into: &utf8)
            case 0..<0x20:
                throw malformed("control character in a string (escape it, e.g. \\n)")
            default:
                utf8.append(byte)
                index += 1
            }
            guard utf8.count <= InputLimits.maxValueBytes else {
                throw .malformed(
                    line: startLine,
                    column: column(at: startOffset),
                    problem: "string longer than \(InputLimits.maxValueText) (\(InputExcerpt.quote(utf8)))"
                )
            }
        }
    }

    /// The string starting at `index` when it holds no escape and no control character and is not too long, as
    /// almost every string in a snapshot is: it is then taken from the text in one piece rather than byte by byte.
    /// - Returns: `nil`, with `index` unmoved, for any other string.
    private mutating func plainString() throws(JSONSyntaxError) -> String? {
        let start = index + 1
        var end = start
        var bits: UInt8 = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            bits |= byte
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - start <= InputLimits.maxValueBytes else {
            return nil
        }
        // ASCII needs no check, and `String(validating:)` was a seventh of reading a snapshot.
        let text = bits < 0x80
            ? String(decoding: bytes[start..<end], as: UTF8.self) : String(validating: bytes[start..<end], as: UTF8.self)
        guard let text else { throw .notUTF8(line: line, column: column(at: index)) }
        index = end + 1
        return text
    }

    private mutating func escape(into utf8: inout [UInt8]) throws(JSONSyntaxError) {
        let escaped = try peek()
        index += 1
        switch escaped {
        case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"): utf8.append(escaped)
        case UInt8(ascii: "b"): utf8.append(0x08)
        case UInt8(ascii: "f"): utf8.append(0x0C)
        case UInt8(ascii: "n"): utf8.append(0x0A)
        case UInt8(ascii: "r"): utf8.append(0x0D)
        case UInt8(ascii: "t"): utf8.append(0x09)
        case UInt8(ascii: "u"):
            var scalar = try hexQuad()
            if (0xD800...0xDBFF).contains(scalar) {
                guard try peek() == UInt8(ascii: "\\") else {
                    throw malformed("unpaired UTF-16 surrogate in \\u escape")
                }
                index += 1
                guard try peek() == UInt8(ascii: "u") else {
                    throw malformed("unpaired UTF-16 surrogate in \\u escape")
                }
                index += 1
                let low = try hexQuad()
                guard (0xDC00...0xDFFF).contains(low) else {
                    throw malformed("unpaired UTF-16 surrogate in \\u escape")
                }
                scalar = 0x10000 + ((scalar - 0xD800) << 10) + (low - 0xDC00)
            }
            guard let unicode = Unicode.Scalar(scalar) else {
                throw malformed("unpaired UTF-16 surrogate in \\u escape")
            }
            utf8.append(contentsOf: Array(String(Character(unicode)).utf8))
        default:
            index -= 1
            throw malformed("unknown escape \\\(InputExcerpt.escapingControls(String(Unicode.Scalar(escaped))))")
        }
    }

    private mutating func hexQuad() throws(JSONSyntaxError) -> UInt32 {
        var value: UInt32 = 0
        for _ in 0..<4 {
            let byte = try peek()
            let digit: UInt8
            switch byte {
            case UInt8(ascii: "0")...UInt8(ascii: "9"): digit = byte - UInt8(ascii: "0")
            case UInt8(ascii: "a")...UInt8(ascii: "f"): digit = byte - UInt8(ascii: "a") + 10
            case UInt8(ascii: "A")...UInt8(ascii: "F"): digit = byte - UInt8(ascii: "A") + 10
            default: throw malformed("expected four hex digits after \\u")
            }
            value = value << 4 | UInt32(digit)
            index += 1
        }
        return value
    }

    private mutating func number() throws(JSONSyntaxError) -> String {
        let start = index
        if bytes[index] == UInt8(ascii: "-") { index += 1 }
        guard try isDigit(peek()) else { throw malformed("expected a digit") }
        if bytes[index] == UInt8(ascii: "0") {
            index += 1
        } else {
            skipDigits()
        }
        if index < bytes.count && bytes[index] == UInt8(ascii: ".") {
            index += 1
            guard try isDigit(peek()) else { throw malformed("expected a digit after '.'") }
            skipDigits()
        }
        if index < bytes.count && (bytes[index] == UInt8(ascii: "e") || bytes[index] == UInt8(ascii: "E")) {
            index += 1
            if try peek() == UInt8(ascii: "+") || bytes[index] == UInt8(ascii: "-") { index += 1 }
            guard try isDigit(peek()) else { throw malformed("expected a digit in the exponent") }
            skipDigits()
        }
        guard index - start <= InputLimits.maxValueBytes else {
            throw .malformed(
                line: line,
                column: column(at: start),
                problem: "number longer than \(InputLimits.maxValueText) (\(InputExcerpt.quote(bytes[start..<index])))"
            )
        }
        return String(decoding: bytes[start..<index], as: UTF8.self)
    }

    private mutating func literal(_ word: StaticString) throws(JSONSyntaxError) {
        let expected = UnsafeBufferPointer(start: word.utf8Start, count: word.utf8CodeUnitCount)
        for byte in expected {
            guard try peek() == byte else { throw malformed("expected \(word)") }
            index += 1
        }
    }

    private mutating func skipDigits() {
        while index < bytes.count && isDigit(bytes[index]) { index += 1 }
    }

    private func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }

    private mutating func skipWhitespace() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "), UInt8(ascii: "\t"): break
            case UInt8(ascii: "\n"): newLine(after: index)
            case UInt8(ascii: "\r"):
                // CRLF is one line end; the LF counts it.
                if index + 1 >= bytes.count || bytes[index + 1] != UInt8(ascii: "\n") { newLine(after: index) }
            default: return
            }
            index += 1
        }
    }

    private mutating func newLine(after offset: Int) {
        line += 1
        lineStart = offset + 1
    }

    /// The byte at the current position; the end of the text here means the document was cut short.
    private func peek() throws(JSONSyntaxError) -> UInt8 {
        guard index < bytes.count else { throw truncated() }
        return bytes[index]
    }

    private mutating func enter() throws(JSONSyntaxError) {
        depth += 1
        if depth > Self.maximumDepth { throw malformed("nested deeper than \(Self.maximumDepth) levels") }
    }

    /// The 1-based column of the current position, in characters.
    private var column: Int { column(at: index) }

    /// The column of `offset` on the current line, counted in characters. Counting rescans the line, so it is only
    /// done for an error: a minified document is one long line.
    private func column(at offset: Int) -> Int {
        1 + bytes[lineStart..<min(offset, bytes.count)].count { $0 & 0xC0 != 0x80 }
    }

    private func malformed(_ problem: String) -> JSONSyntaxError {
        .malformed(line: line, column: column, problem: problem)
    }

    /// The document stops early: name the last line that holds anything, which is where it was cut.
    private func truncated() -> JSONSyntaxError {
        var end = bytes.count
        while end > 0 && ASCIIWhitespace.contains(bytes[end - 1]) { end -= 1 }
        let lineEnds = bytes[..<end].indices.count { offset in
            bytes[offset] == 0x0A || (bytes[offset] == 0x0D && (offset + 1 == end || bytes[offset + 1] != 0x0A))
        }
        return .truncated(line: 1 + lineEnds)
    }
}
