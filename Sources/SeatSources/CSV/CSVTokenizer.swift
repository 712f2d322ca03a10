/// Splits CSV bytes into records as they stream in, checking the encoding on the way.
///
/// Hand-written rather than taken from a package: the CSV packages in reach (swiftcsv/SwiftCSV,
/// yaslab/CSV.swift) load the whole file or decode `Character`s, which is slow and makes memory grow
/// with the file. A million-row export must stream in 1 MiB chunks with memory that grows only with what
/// is kept, so this works on bytes and builds no `String` at all; callers build one per kept cell.
///
/// RFC 4180 plus what real exports do: a UTF-8 byte-order mark is dropped, a UTF-16 one is refused,
/// CRLF, LF and CR-only line ends are all line ends, whitespace around a quoted field is allowed, and
/// records holding only whitespace and delimiters are skipped.
package struct CSVTokenizer {
    package let file: String
    /// The field delimiter: as configured, or detected from the header line once it has arrived.
    package private(set) var delimiter: UInt8?

    /// Bytes held back until the byte-order mark and the delimiter can be decided; `nil` once they are.
    private var prelude: [UInt8]? = []
    private var state = State.fieldStart
    private var record = CSVRecord()
    private var recordOpen = false
    private var recordHasText = false
    private var fieldHasText = false
    /// Where the current field's bytes start in `record.bytes`.
    private var fieldOffset = 0
    private var line = 1
    private var column = 0
    private var afterCarriageReturn = false
    /// A record just ended at a CR, so an LF right after it is the rest of a CRLF, not an empty line.
    private var swallowLineFeed = false
    private var quoteStart = TextPosition(line: 1, column: 1)
    private var utf8 = UTF8Validator()
    /// Whether a record has been emitted: the first one is the header.
    private var pastHeader = false

    private enum State {
        case fieldStart
        case unquoted
        case quoted
        /// A quote inside a quoted field: either the first of a doubled quote or the closing one.
        case closingQuote
        /// Whitespace after a closing quote, before the delimiter or line end.
        case afterQuoted
    }

    /// - Parameters:
    ///   - file: the path named in errors.
    ///   - delimiter: the configured delimiter, or `nil` to detect it from the header line.
    package init(file: String, delimiter: UInt8?) {
        self.file = file
        self.delimiter = delimiter
    }

    /// Tokenizes the next chunk of the file, calling `emit` with every record it completes.
    /// - Throws: ``CSVError`` for bad bytes or quoting; whatever `emit` throws.
    package mutating func feed(_ chunk: UnsafeRawBufferPointer, _ emit: (CSVRecord) throws -> Void) throws {
        if prelude != nil {
            prelude!.append(contentsOf: chunk)
            try releasePrelude(atEndOfFile: false, emit)
            return
        }
        try tokenize(chunk.assumingMemoryBound(to: UInt8.self), emit)
    }

    /// Ends the file: completes a last record that has no line end, or refuses a file cut mid-field.
    /// - Throws: ``CSVError/unterminatedQuote(file:line:column:)`` when the file ends inside quotes.
    package mutating func finish(_ emit: (CSVRecord) throws -> Void) throws {
        if prelude != nil { try releasePrelude(atEndOfFile: true, emit) }
        try refuseOversizedRecord()
        if utf8.pending > 0 {
            throw CSVError.notUTF8(file: file, line: utf8.start.line, column: utf8.start.column)
        }
        if state == .quoted {
            throw CSVError.unterminatedQuote(file: file, line: quoteStart.line, column: quoteStart.column)
        }
        if recordOpen {
            // A file that ends right after a delimiter ends with an empty field that no byte started; without a
            // position, an error about that field would have nothing to name.
            if state == .fieldStart { record.fieldStarts.append(TextPosition(line: line, column: column + 1)) }
            endField()
            try endRecord(emit)
        }
    }

    private mutating func releasePrelude(atEndOfFile: Bool, _ emit: (CSVRecord) throws -> Void) throws {
        guard let held = prelude, atEndOfFile || held.count >= 3 else { return }
        if held.starts(with: [0xFF, 0xFE]) || held.starts(with: [0xFE, 0xFF]) { throw CSVError.utf16(file: file) }
        let body = held.starts(with: [0xEF, 0xBB, 0xBF]) ? held[3...] : held[...]
        if delimiter == nil {
            // A header line still open after the bound is refused as too long once tokenized; deciding now keeps the
            // held bytes bounded, and spares rescanning them for every chunk.
            let decideNow = atEndOfFile || body.count > InputLimits.maxValueBytes
            guard let detected = Self.detectDelimiter(in: body, atEndOfFile: decideNow) else { return }
            delimiter = detected
        }
        prelude = nil
        try body.withUnsafeBufferPointer { try tokenize($0, emit) }
    }

    /// The delimiter of the header line: whichever of `,` `;` tab occurs most often outside quotes, ties going
    /// in that order. Leading blank lines are passed over.
    /// - Returns: `nil` when the header line has not ended yet and more bytes may come.
    static func detectDelimiter(in bytes: ArraySlice<UInt8>, atEndOfFile: Bool) -> UInt8? {
        var commas = 0
        var semicolons = 0
        var tabs = 0
        var inQuotes = false
        var lineHasText = false
        func choice() -> UInt8 {
            if commas >= semicolons && commas >= tabs { return CSVByte.comma }
            return semicolons >= tabs ? CSVByte.semicolon : CSVByte.tab
        }
        for byte in bytes {
            if byte == CSVByte.quote {
                inQuotes.toggle()
                lineHasText = true
                continue
            }
            if inQuotes { continue }
            switch byte {
            case CSVByte.lineFeed, CSVByte.carriageReturn:
                if lineHasText { return choice() }
                (commas, semicolons, tabs) = (0, 0, 0)
            case CSVByte.comma: commas += 1
            case CSVByte.semicolon: semicolons += 1
            case CSVByte.tab: tabs += 1
            case CSVByte.space: break
            default: lineHasText = true
            }
        }
        return atEndOfFile ? choice() : nil
    }

    private mutating func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (CSVRecord) throws -> Void) throws {
        let delimiter = self.delimiter!
        var index = bytes.startIndex
        let simpleRecords =
            delimiter == CSVByte.tab || (delimiter > CSVByte.space && delimiter < 0x80 && delimiter != CSVByte.quote)
        while index < bytes.endIndex {
            try refuseOversizedRecord()
            if simpleRecords, state == .fieldStart, !recordOpen, !swallowLineFeed, utf8.pending == 0 {
                let end = try simpleRecord(bytes, from: index, delimiter: delimiter, emit)
                if end > index {
                    index = end
                    continue
                }
            }
            // Fast path for the bulk of any export: a run of printable ASCII inside a field needs no decisions,
            // only copying and a column count.
            if state == .unquoted || state == .quoted, utf8.pending == 0 {
                let end = Self.plainRunEnd(bytes, from: index, delimiter: delimiter)
                if end > index {
                    let run = UnsafeBufferPointer(rebasing: bytes[index..<end])
                    record.bytes.append(contentsOf: run)
                    column += end - index
                    afterCarriageReturn = false
                    fieldHasText = fieldHasText || run.contains { $0 != CSVByte.space }
                    index = end
                    continue
                }
            }
            let byte = bytes[index]
            index += 1
            let here: TextPosition
            if byte == CSVByte.lineFeed {
                here = TextPosition(line: line, column: column + 1)
                if !afterCarriageReturn { line += 1 }
                column = 0
                afterCarriageReturn = false
            } else if byte == CSVByte.carriageReturn {
                here = TextPosition(line: line, column: column + 1)
                line += 1
                column = 0
                afterCarriageReturn = true
            } else {
                afterCarriageReturn = false
                // Continuation bytes belong to the character their lead byte started.
                if utf8.pending == 0 { column += 1 }
                here = TextPosition(line: line, column: column)
            }
            if byte >= 0x80 || utf8.pending > 0 {
                guard utf8.accept(byte, at: here) else {
                    throw CSVError.notUTF8(file: file, line: utf8.start.line, column: utf8.start.column)
                }
            } else if byte == 0 {
                throw CSVError.nulByte(file: file, line: here.line, column: here.column)
            }
            if swallowLineFeed {
                swallowLineFeed = false
                if byte == CSVByte.lineFeed { continue }
            }

            switch state {
            case .unquoted:
                if byte == delimiter {
                    endField()
                    state = .fieldStart
                } else if byte == CSVByte.lineFeed || byte == CSVByte.carriageReturn {
                    endField()
                    try endRecord(emit)
                    swallowLineFeed = byte == CSVByte.carriageReturn
                    state = .fieldStart
                } else if byte == CSVByte.quote {
                    // Only whitespace so far: the field is quoted after all, and the whitespace is not data.
                    guard !fieldHasText else {
                        throw CSVError.quoteInUnquotedField(file: file, line: here.line, column: here.column)
                    }
                    record.bytes.removeSubrange(fieldOffset...)
                    quoteStart = here
                    state = .quoted
                } else {
                    record.bytes.append(byte)
                    if byte != CSVByte.space && byte != CSVByte.tab { fieldHasText = true }
                }
            case .fieldStart:
                if !recordOpen {
                    recordOpen = true
                    record.line = here.line
                }
                record.fieldStarts.append(here)
                fieldOffset = record.bytes.count
                if byte == delimiter {
                    endField()
                } else if byte == CSVByte.lineFeed || byte == CSVByte.carriageReturn {
                    endField()
                    try endRecord(emit)
                    swallowLineFeed = byte == CSVByte.carriageReturn
                } else if byte == CSVByte.quote {
                    quoteStart = here
                    state = .quoted
                } else {
                    record.bytes.append(byte)
                    fieldHasText = byte != CSVByte.space && byte != CSVByte.tab
                    state = .unquoted
                }
            case .quoted:
                if byte == CSVByte.quote {
                    state = .closingQuote
                } else {
                    record.bytes.append(byte)
                    if !CSVByte.isSpace(byte) { fieldHasText = true }
                }
            case .closingQuote where byte == CSVByte.quote:
                record.bytes.append(byte)
                fieldHasText = true
                state = .quoted
            case .closingQuote, .afterQuoted:
                if byte == delimiter {
                    endField()
                    state = .fieldStart
                } else if byte == CSVByte.lineFeed || byte == CSVByte.carriageReturn {
                    endField()
                    try endRecord(emit)
                    swallowLineFeed = byte == CSVByte.carriageReturn
                    state = .fieldStart
                } else if byte == CSVByte.space || byte == CSVByte.tab {
                    state = .afterQuoted
                } else {
                    throw CSVError.textAfterClosingQuote(file: file, line: here.line, column: here.column)
                }
            }
        }
    }

    /// Tokenizes the record that starts at `start` in one go when it is as most rows of an export are: whole in this
    /// chunk, printable ASCII, quoted fields without quotes or line breaks inside and nothing between a closing quote
    /// and the delimiter. Its records, positions and line counting are exactly the general path's.
    /// - Returns: where the record's line end ends; `start` when the record is not that simple, and then nothing
    ///   has changed and the general path takes it.
    private mutating func simpleRecord(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        delimiter: UInt8,
        _ emit: (CSVRecord) throws -> Void
    ) throws -> Int {
        var position = start
        var hasText = false
        while true {
            let fieldStart = position
            let content: Range<Int>
            if position < bytes.count, bytes[position] == CSVByte.quote {
                // Stopping only at a quote, a control byte or non-ASCII: the delimiter is data inside quotes.
                let end = Self.plainRunEnd(bytes, from: position + 1, delimiter: CSVByte.quote)
                guard end < bytes.count, bytes[end] == CSVByte.quote else { return abandonSimpleRecord(start) }
                content = (position + 1)..<end
                position = end + 1
            } else {
                content = position..<Self.plainRunEnd(bytes, from: position, delimiter: delimiter)
                position = content.upperBound
            }
            guard position < bytes.count else { return abandonSimpleRecord(start) }
            let next = bytes[position]
            guard next == delimiter || next == CSVByte.lineFeed || next == CSVByte.carriageReturn,
                position - start <= InputLimits.maxValueBytes
            else {
                // The general path refuses an oversized record and names the field.
                return abandonSimpleRecord(start)
            }
            let field = UnsafeBufferPointer(rebasing: bytes[content])
            record.fieldStarts.append(TextPosition(line: line, column: column + fieldStart - start + 1))
            record.bytes.append(contentsOf: field)
            record.fieldEnds.append(record.bytes.count)
            hasText = hasText || field.contains { $0 != CSVByte.space }
            position += 1
            if next == delimiter { continue }

            record.line = line
            if hasText {
                try emit(record)
                pastHeader = true
            }
            record.removeAll()
            line += 1
            column = 0
            afterCarriageReturn = next == CSVByte.carriageReturn
            if afterCarriageReturn, position < bytes.count {
                afterCarriageReturn = false
                if bytes[position] == CSVByte.lineFeed { position += 1 }
            } else {
                swallowLineFeed = afterCarriageReturn
            }
            return position
        }
    }

    private mutating func abandonSimpleRecord(_ start: Int) -> Int {
        record.removeAll()
        return start
    }

    /// Where the run of printable ASCII bytes other than the delimiter and `"` that starts at `start` ends.
    ///
    /// Tests eight bytes at a time: in each test below, the lowest flagged byte of a word is exactly the first byte
    /// that fails it (borrows only ever flag bytes above it), which is all that is asked for.
    static func plainRunEnd(_ bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let quotes = ones &* UInt64(CSVByte.quote)
        var end = start
        if let base = bytes.baseAddress.map(UnsafeRawPointer.init) {
            while end + 8 <= bytes.count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: end, as: UInt64.self))
                let belowSpace = (word &- ones &* UInt64(CSVByte.space)) & ~word
                let atDelimiter = ((word ^ delimiters) &- ones) & ~(word ^ delimiters)
                let atQuote = ((word ^ quotes) &- ones) & ~(word ^ quotes)
                let stops = (word | belowSpace | atDelimiter | atQuote) & highs
                if stops != 0 { return end + stops.trailingZeroBitCount / 8 }
                end += 8
            }
        }
        while end < bytes.count {
            let byte = bytes[end]
            guard byte >= CSVByte.space && byte < 0x80 && byte != delimiter && byte != CSVByte.quote else { break }
            end += 1
        }
        return end
    }

    private mutating func endField() {
        record.fieldEnds.append(record.bytes.count)
        recordHasText = recordHasText || fieldHasText
        fieldHasText = false
    }

    /// Refuses the record being built once it holds more than ``InputLimits/maxValueBytes``, naming the field
    /// when that one field is too long; checked while it grows, so a hostile file cannot fill memory first.
    private func refuseOversizedRecord() throws {
        guard record.bytes.count + record.fieldEnds.count > InputLimits.maxValueBytes else { return }
        let open = record.fieldStarts.count > record.fieldEnds.count
        let field = max(0, open ? record.fieldEnds.count : record.fieldEnds.count - 1)
        let fieldStart = field == 0 ? 0 : record.fieldEnds[field - 1]
        let fieldEnd = field < record.fieldEnds.count ? record.fieldEnds[field] : record.bytes.count
        if fieldEnd - fieldStart > InputLimits.maxValueBytes, field < record.fieldStarts.count {
            let position = record.fieldStarts[field]
            throw CSVError.valueTooLong(
                file: file,
                line: position.line,
                column: position.column,
                // Cut at the bound, so that how the file was chunked does not show in the message.
                excerpt: InputExcerpt.quote(record.bytes[fieldStart..<(fieldStart + InputLimits.maxValueBytes + 1)])
            )
        }
        throw CSVError.recordTooLong(file: file, line: record.line, isHeader: !pastHeader)
    }

    private mutating func endRecord(_ emit: (CSVRecord) throws -> Void) throws {
        try refuseOversizedRecord()
        if recordHasText {
            try emit(record)
            pastHeader = true
        }
        record.removeAll()
        recordOpen = false
        recordHasText = false
    }
}

/// Checks UTF-8 one byte at a time (Unicode 15, table 3-7), so that a chunk may end mid-character.
struct UTF8Validator {
    /// Continuation bytes still expected.
    private(set) var pending = 0
    /// Where the character being checked starts.
    private(set) var start = TextPosition(line: 1, column: 1)
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Takes the next byte.
    /// - Returns: `false` when the byte cannot be part of valid UTF-8 here; `start` then names the character.
    mutating func accept(_ byte: UInt8, at position: TextPosition) -> Bool {
        if pending > 0 {
            guard byte >= lower && byte <= upper else { return false }
            pending -= 1
            lower = 0x80
            upper = 0xBF
            return true
        }
        start = position
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: pending = 1
        case 0xE0: (pending, lower) = (2, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: pending = 2
        case 0xED: (pending, upper) = (2, 0x9F)
        case 0xF0: (pending, lower) = (3, 0x90)
        case 0xF1...0xF3: pending = 3
        case 0xF4: (pending, upper) = (3, 0x8F)
        default: return false
        }
        return true
    }
}
