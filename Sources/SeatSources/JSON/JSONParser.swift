import TextRules

/// Why JSON text could not be parsed, before the file name is attached.
enum JSONSyntaxError: Error, Equatable {
    /// The text stops before the document is complete; `line` is the last line holding anything.
    case truncated(line: Int)
    case malformed(line: Int, column: Int, problem: String)
    case notUTF8(line: Int, column: Int)
}

/// Parses JSON text (RFC 8259) into a ``JSONTape``.
///
/// Foundation's `JSONSerialization` reports neither lines nor whether the text merely stopped early, and a
/// snapshot cut off mid-write must be told apart from a malformed one. Repeated object keys are refused:
/// a writer that emits two `"active"` keys has a bug, and which one wins is not a guess to make about seats.
struct JSONParser {
    /// Deeper than any seat snapshot nests, shallow enough that hostile input cannot exhaust the stack.
    static let maximumDepth = 64
    /// The size from which text is refused: the tape keeps offsets and lines in 32 bits. A snapshot near it would
    /// list tens of millions of users, and its tape alone would take several times the memory of the text.
    static let maximumSize = Int(UInt32.max)

    /// The text, read through a pointer: an array's bounds checks were a sixth of parsing a snapshot.
    private let bytes: UnsafeBufferPointer<UInt8>
    private var tape: JSONTape
    /// The tape's storage, read once: each read of a class's property is checked for exclusive access.
    private var entries: UnsafeMutablePointer<JSONTape.Entry>
    /// The position up to which the parser may write entries: the tail's first while the tail is parsed, the end of
    /// the storage otherwise.
    private var limit: Int
    /// Whether the parser may grow the storage: not the tail's, whose storage the parser of the head writes too.
    private let mayGrow: Bool
    private var index = 0
    private var line = 1
    private var lineStart = 0
    private var depth = 0
    /// The array tail parsed on another thread, until the parser reaches its offset or passes it.
    private var tail: JSONArrayTail?
    /// The key under which the root object holds the array whose elements go to `consumer`.
    private var streamedKey: StaticString?
    /// Takes the elements of the streamed array (for a tail's parser, of the tail) while `isHanding`.
    private var consumer: (any JSONArrayConsumer)?
    private var isHanding = false

    /// A parser writing entries from `position` of `storage`, up to `limit`.
    private init(
        _ text: SourceText,
        _ bytes: UnsafeBufferPointer<UInt8>,
        storage: JSONTapeStorage,
        from position: Int,
        limit: Int,
        mayGrow: Bool
    ) {
        self.bytes = bytes
        tape = JSONTape(text: text, storage: storage, count: position)
        entries = storage.entries
        self.limit = limit
        self.mayGrow = mayGrow
        if bytes.starts(with: [0xEF, 0xBB, 0xBF]) {
            index = 3
            lineStart = 3
        }
    }

    /// How many entries to make room for in a tape of `count` bytes of text. A snapshot takes an entry per 7 bytes
    /// minified, per 15 pretty-printed: room for one per 6 bytes is room for either without growing the storage,
    /// and pages never written are never resident.
    static func room(forBytes count: Int) -> Int { count / 6 + 16 }

    /// Parses one JSON document filling all of `bytes` (a UTF-8 byte-order mark is allowed).
    /// - Parameters:
    ///   - splitting: whether the tail of a long array may be parsed on another thread (``JSONArrayTail``); the
    ///     document read from the tape is the same either way.
    ///   - streaming: the key under which the root object holds an array whose elements go to `consumer` as they
    ///     are parsed (``JSONArrayConsumer``); the tape then holds the elements the consumer did not take.
    /// - Throws: ``JSONSyntaxError``.
    static func parse(
        _ text: SourceText,
        splitting: Bool = true,
        streaming: (key: StaticString, consumer: any JSONArrayConsumer)? = nil
    ) throws(JSONSyntaxError) -> JSONTape {
        guard text.count < maximumSize else {
            throw .malformed(line: 1, column: 1, problem: "4 GiB or more of text; a snapshot must be smaller")
        }
        return try text.withBytes { pointer throws(JSONSyntaxError) in
            let tail =
                splitting
                ? JSONArrayTail(text: text, bytes: pointer, consumer: streaming?.consumer.makeTailConsumer) : nil
            let storage =
                tail?.storage ?? JSONTapeStorage(capacity: room(forBytes: pointer.count), large: streaming == nil)
            var parser = JSONParser(
                text,
                pointer,
                storage: storage,
                from: 0,
                limit: tail?.start ?? storage.capacity,
                mayGrow: true
            )
            parser.tail = tail
            parser.streamedKey = streaming?.key
            parser.consumer = streaming?.consumer
            parser.isHanding = streaming != nil
            // The other thread reads the text, which is only valid in here, and writes the storage.
            defer { _ = parser.tail?.finish() }
            try parser.value()
            parser.skipWhitespace()
            if parser.index < pointer.count { throw parser.malformed("unexpected text after the JSON document") }
            return parser.tape
        }
    }

    /// Parses the elements of an array from `offset`, the start of one of them, up to the array's `]`, as the parser
    /// would reach them inside an array two levels deep, onto `storage` from `position`, handing them to `consumer`
    /// when there is one; `nil` for any error, and when they do not fit. See ``JSONArrayTail``.
    static func parseArrayTail(
        _ text: SourceText,
        _ bytes: UnsafeBufferPointer<UInt8>,
        from offset: Int,
        into storage: JSONTapeStorage,
        at position: Int,
        consumer: (any JSONArrayConsumer)? = nil
    )
        -> JSONArrayTail.Piece?
    {
        // Lines are counted from 1 at `offset`; the splice moves them to the lines the parser counted up to there.
        var parser = JSONParser(text, bytes, storage: storage, from: position, limit: storage.capacity, mayGrow: false)
        parser.index = offset
        parser.depth = 2
        parser.consumer = consumer
        parser.isHanding = consumer != nil
        var count = 0
        do throws(JSONSyntaxError) {
            while true {
                let element = parser.tape.count
                let unescaped = parser.tape.unescaped.count
                try parser.value()
                count += 1
                parser.hand(element, unescapedFrom: unescaped)
                parser.skipWhitespace()
                switch try parser.peek() {
                case UInt8(ascii: ","): parser.index += 1
                case UInt8(ascii: "]"):
                    return JSONArrayTail.Piece(
                        count: count,
                        entryStart: position,
                        entryEnd: parser.tape.count,
                        unescaped: parser.tape.unescaped,
                        end: parser.index,
                        line: parser.line,
                        lineStart: parser.lineStart
                    )
                default: return nil
                }
            }
        } catch {
            return nil
        }
    }

    /// Puts the tail on the tape when the parser is at its offset, an element of an array two levels deep, and the
    /// tail parsed; the parser then stands at the array's `]`. Either way, once at the offset, the tail is used up.
    /// When the array is streamed, the consumer takes what the tail's consumer took, then the elements it kept.
    /// - Returns: how many elements of the array the tail put on the tape, or `nil` when it put none.
    private mutating func spliceTail() -> Int? {
        guard let tail, index == tail.offset, depth == 2 else { return nil }
        self.tail = nil
        limit = tape.storage.capacity
        guard let piece = tail.finish() else { return nil }
        // The tail's entries stay where it wrote them; a view moves their lines by the lines before the offset, and
        // their escaped strings by the parser's.
        let lineBase = line - 1
        tape.splice = JSONTape.Splice(
            gap: tape.count..<tail.start,
            lineBase: lineBase,
            unescapedBase: tape.unescaped.count
        )
        tape.count = piece.entryEnd
        tape.unescaped += piece.unescaped
        index = piece.end
        if piece.line > 1 { lineStart = piece.lineStart }
        line += piece.line - 1
        if isHanding, let consumer {
            consumer.takeTail(lineBase: lineBase)
            // The elements the tail's consumer left, from the first it did not take: they stay where they lie.
            tape.withView { tape in
                var element = piece.entryStart
                while element < piece.entryEnd {
                    _ = consumer.take(element, of: tape)
                    element = tape.after(element)
                }
            }
        }
        return piece.count
    }

    /// Hands `element`, just parsed, to the consumer, and writes over its entries (and its escaped strings, from
    /// `unescapedFrom` on) when the consumer took it.
    private mutating func hand(_ element: JSONTape.Value, unescapedFrom unescaped: Int) {
        guard isHanding, let consumer else { return }
        guard tape.withView({ consumer.take(element, of: $0) }) else {
            isHanding = false
            return
        }
        tape.count = element
        if tape.unescaped.count > unescaped { tape.unescaped.removeSubrange(unescaped...) }
    }

    /// Puts `entry` on the tape.
    private mutating func append(_ entry: JSONTape.Entry) throws(JSONSyntaxError) {
        if tape.count == limit { try makeRoom() }
        (entries + tape.count).initialize(to: entry)
        tape.count += 1
    }

    /// At the limit: the parser's entries reached the tail's, whose room was too small for them, so the tail is
    /// dropped (the parser parses on and writes over it); or the storage is full and grows. The tail's parser,
    /// which may not grow it, gives up.
    private mutating func makeRoom() throws(JSONSyntaxError) {
        if let tail {
            _ = tail.finish()
            self.tail = nil
            limit = tape.storage.capacity
            if tape.count < limit { return }
        }
        // The tail's parse ends in `nil` whatever it throws; a message would cost a scan of the line for its column.
        guard mayGrow else { throw .malformed(line: line, column: 0, problem: "") }
        tape.storage.grow(keeping: tape.count)
        entries = tape.storage.entries
        limit = tape.storage.capacity
    }

    /// Puts the value at `index` on the tape.
    private mutating func value() throws(JSONSyntaxError) {
        skipWhitespace()
        guard index < bytes.count else { throw Self.truncated(bytes) }
        let start = index
        switch bytes[index] {
        case UInt8(ascii: "{"): try object()
        case UInt8(ascii: "["): try array()
        case UInt8(ascii: "\""): try string()
        case UInt8(ascii: "t"):
            try literal("true")
            try append(.true, from: start)
        case UInt8(ascii: "f"):
            try literal("false")
            try append(.false, from: start)
        case UInt8(ascii: "n"):
            try literal("null")
            try append(.null, from: start)
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
            try number()
            try append(.number, from: start)
        default:
            throw malformed("expected a JSON value")
        }
    }

    /// Puts a scalar from `start` to `index` on the tape.
    private mutating func append(_ kind: JSONTape.Kind, from start: Int) throws(JSONSyntaxError) {
        try append(JSONTape.Entry(start: UInt32(start), end: UInt32(index), line: UInt32(line), kind: kind))
    }

    /// Puts a container on the tape before its elements; `close(_:)` completes it after them.
    private mutating func open(_ kind: JSONTape.Kind) throws(JSONSyntaxError) -> JSONTape.Value {
        try enter()
        let container = tape.count
        try append(JSONTape.Entry(start: 0, end: 0, line: UInt32(line), kind: kind))
        index += 1
        return container
    }

    /// Completes a container of `count` elements (members, for an object).
    private mutating func close(_ container: JSONTape.Value, count: Int) {
        depth -= 1
        index += 1
        entries[container].start = UInt32(count)
        entries[container].end = UInt32(tape.count)
    }

    private mutating func object() throws(JSONSyntaxError) {
        let object = try open(.object)
        skipWhitespace()
        if try peek() == UInt8(ascii: "}") { return close(object, count: 0) }
        var count = 0
        // Built only for an object with more members than a scan should pass over: a snapshot's objects hold a
        // handful, and hashing every key of every user was a tenth of reading one.
        var keys: Set<String> = []
        while true {
            skipWhitespace()
            guard try peek() == UInt8(ascii: "\"") else { throw malformed("expected a string key") }
            let keyLine = line
            let keyOffset = index
            let key = tape.count
            try string()
            guard isNew(key, in: object, count: count, keys: &keys) else {
                throw .malformed(
                    line: keyLine,
                    column: column(at: keyOffset),
                    problem: "repeated key \"\(quotedKey(key))\""
                )
            }
            count += 1
            skipWhitespace()
            guard try peek() == UInt8(ascii: ":") else {
                throw malformed("expected ':' after the key \"\(quotedKey(key))\"")
            }
            index += 1
            if depth == 1, let streamedKey, tape.withView({ $0.string(key, is: streamedKey) }) {
                skipWhitespace()
                if try peek() == UInt8(ascii: "[") { try array(streamed: true) } else { try value() }
            } else {
                try value()
            }
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "}"): return close(object, count: count)
            default:
                throw malformed("expected ',' or '}' after the value of \"\(quotedKey(key))\"")
            }
        }
    }

    /// The key at `key`, quoted for an error message.
    private func quotedKey(_ key: JSONTape.Value) -> String {
        InputExcerpt.quote(tape.withView { $0.string(key) })
    }

    /// Whether no earlier member of `object`, which has `count` so far, has the key `key`; `keys` holds their keys
    /// once there are more than ``keyScanLimit``.
    private func isNew(_ key: JSONTape.Value, in object: JSONTape.Value, count: Int, keys: inout Set<String>) -> Bool {
        // ASCII keys compared where they lie (a user's three keys each time): through a view, the check was a
        // twentieth of the instructions reading a snapshot took.
        if count < Self.keyScanLimit, let new = entries[key].asciiText(in: bytes) {
            var member = object + 1
            for _ in 0..<count {
                guard let earlier = entries[member].asciiText(in: bytes) else {
                    return isNewAsStrings(key, in: object, count: count, keys: &keys)
                }
                if ByteComparison.equal(earlier, new) { return false }
                member = entries[member + 1].after(member + 1)
            }
            return true
        }
        return isNewAsStrings(key, in: object, count: count, keys: &keys)
    }

    /// ``isNew(_:in:count:keys:)`` for keys that are not all ASCII, or once there are many.
    private func isNewAsStrings(
        _ key: JSONTape.Value,
        in object: JSONTape.Value,
        count: Int,
        keys: inout Set<String>
    ) -> Bool {
        tape.withView { tape in
            let earlier = tape.members(of: object, before: key)
            if count < Self.keyScanLimit { return !earlier.contains { tape.string($0.key, equals: key) } }
            if keys.isEmpty { keys = Set(earlier.lazy.map { tape.string($0.key) }) }
            return keys.insert(tape.string(key)).inserted
        }
    }

    private static let keyScanLimit = 16

    /// Puts the array at `index` on the tape; `streamed`: the array whose elements go to the consumer, the only one
    /// the tail may then be spliced into.
    private mutating func array(streamed: Bool = false) throws(JSONSyntaxError) {
        let array = try open(.array)
        skipWhitespace()
        if try peek() == UInt8(ascii: "]") { return close(array, count: 0) }
        var count = 0
        while true {
            if tail != nil && (streamed || streamedKey == nil) {
                skipWhitespace()
                if let spliced = spliceTail() { return close(array, count: count + spliced) }
            }
            let element = tape.count
            let unescaped = tape.unescaped.count
            try value()
            count += 1
            if streamed { hand(element, unescapedFrom: unescaped) }
            skipWhitespace()
            switch try peek() {
            case UInt8(ascii: ","): index += 1
            case UInt8(ascii: "]"): return close(array, count: count)
            default: throw malformed("expected ',' or ']' after an array element")
            }
        }
    }

    /// Puts the string at `index` on the tape.
    private mutating func string() throws(JSONSyntaxError) {
        if try plainString() { return }
        let startLine = line
        let startOffset = index
        index += 1
        var utf8: [UInt8] = []
        while true {
            guard index < bytes.count else { throw Self.truncated(bytes) }
            let byte = bytes[index]
            switch byte {
            case UInt8(ascii: "\""):
                index += 1
                guard let text = String(validating: utf8, as: UTF8.self) else {
                    throw .notUTF8(line: startLine, column: column(at: startOffset))
                }
                try append(
                    JSONTape.Entry(
                        start: UInt32(startOffset + 1),
                        end: UInt32(tape.unescaped.count),
                        line: UInt32(startLine),
                        kind: .string,
                        isEscaped: true,
                        isASCII: utf8.allSatisfy { $0 < 0x80 }
                    )
                )
                tape.unescaped.append(text)
                return
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

    /// Puts the string starting at `index` on the tape when it holds no escape and no control character and is not
    /// too long, as almost every string in a snapshot is: it is then checked in one scan and left in the text.
    /// - Returns: `false`, with `index` unmoved, for any other string.
    private mutating func plainString() throws(JSONSyntaxError) -> Bool {
        let start = index + 1
        // Printable ASCII up to where the run stops; byte by byte from there, `bits` staying below 0x80 for ASCII.
        let run = PlainRun.printableEnd(in: bytes, from: start, delimiter: ASCIIByte.backslash)
        var end = run
        var bits: UInt8 = 0
        while end < bytes.count {
            let byte = bytes[end]
            if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") || byte < 0x20 { break }
            bits |= byte
            end += 1
        }
        guard end < bytes.count, bytes[end] == UInt8(ascii: "\""), end - start <= InputLimits.maxValueBytes else {
            return false
        }
        // ASCII needs no check, and `String(validating:)` was a seventh of reading a snapshot.
        if bits >= 0x80 && String(validating: bytes[start..<end], as: UTF8.self) == nil {
            throw .notUTF8(line: line, column: column(at: index))
        }
        try append(
            JSONTape.Entry(
                start: UInt32(start),
                end: UInt32(end),
                line: UInt32(line),
                kind: .string,
                isASCII: bits < 0x80,
                isPrintable: end == run
            )
        )
        index = end + 1
        return true
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

    private mutating func number() throws(JSONSyntaxError) {
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

    /// Inlined up to the first byte, a lone space after it, and a line break with its indentation: a minified
    /// document has no whitespace, and the call was 5% of reading one; a pretty-printed one has a space after each
    /// colon and a line break before each member, element and closing bracket (1,042M -> 1,014M instructions).
    @inline(__always)
    private mutating func skipWhitespace() {
        guard index < bytes.count, bytes[index] <= 0x20 else { return }
        if bytes[index] == ASCIIByte.space, index + 1 < bytes.count, bytes[index + 1] > 0x20 {
            index += 1
            return
        }
        if bytes[index] == ASCIIByte.lineFeed {
            passLineBreak()
            if index < bytes.count, bytes[index] > 0x20 { return }
        }
        skipWhitespaceRun()
    }

    /// Passes the line feed at `index` and the indentation that follows it.
    @inline(__always)
    private mutating func passLineBreak() {
        newLine(after: index)
        index = PlainRun.spacesEnd(in: bytes, from: index + 1)
    }

    private mutating func skipWhitespaceRun() {
        while index < bytes.count {
            switch bytes[index] {
            case UInt8(ascii: " "):
                index = PlainRun.spacesEnd(in: bytes, from: index + 1)
                continue
            case UInt8(ascii: "\t"): break
            case UInt8(ascii: "\n"):
                passLineBreak()
                continue
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
        guard index < bytes.count else { throw Self.truncated(bytes) }
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

    /// The document `bytes` stops early: name the last line that holds anything, which is where it was cut.
    ///
    /// Static: as a method reading the parser, it made every check that might throw (`peek()` among them) copy all
    /// of the parser first, even where the check passed.
    private static func truncated(_ bytes: UnsafeBufferPointer<UInt8>) -> JSONSyntaxError {
        var end = bytes.count
        while end > 0 && ASCIIWhitespace.contains(bytes[end - 1]) { end -= 1 }
        let lineEnds = bytes[..<end].indices.count { offset in
            bytes[offset] == 0x0A || (bytes[offset] == 0x0D && (offset + 1 == end || bytes[offset + 1] != 0x0A))
        }
        return .truncated(line: 1 + lineEnds)
    }
}
