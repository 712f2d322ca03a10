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
            guard let detected = CSVDelimiterDetector.delimiter(in: body, atEndOfFile: decideNow) else { return }
            delimiter = detected
        }
        prelude = nil
        try body.withUnsafeBufferPointer { try tokenize($0, emit) }
    }

    private mutating func tokenize(_ bytes: UnsafeBufferPointer<UInt8>, _ emit: (CSVRecord) throws -> Void) throws {
        let delimiter = self.delimiter!
        var index = bytes.startIndex
        let simpleRecords =
            delimiter == ASCIIByte.tab
            || (delimiter > ASCIIByte.space && delimiter < 0x80 && delimiter != ASCIIByte.quote)
        while index < bytes.endIndex {
            // No record is being built when a simple one can start, so the size check waits until one is.
            if simpleRecords, state == .fieldStart, !recordOpen, !swallowLineFeed, utf8.pending == 0,
                let simple = CSVSimpleRecord.read(
                    bytes,
                    from: index,
                    column: column,
                    delimiter: delimiter,
                    into: &record.spans
                )
            {
                index = try endSimpleRecord(bytes, at: simple.lineEnd, hasText: simple.hasText, emit)
                continue
            }
            try refuseOversizedRecord()
            // Fast path for the bulk of any export: a run of printable ASCII inside a field needs no decisions,
            // only copying and a column count.
            if state == .unquoted || state == .quoted, utf8.pending == 0 {
                let end = PlainRun.end(in: bytes, from: index, delimiter: delimiter)
                if end > index {
                    let run = UnsafeBufferPointer(rebasing: bytes[index..<end])
                    record.bytes.append(contentsOf: run)
                    column += end - index
                    afterCarriageReturn = false
                    fieldHasText = fieldHasText || run.contains { $0 != ASCIIByte.space }
                    index = end
                    continue
                }
            }
            let byte = bytes[index]
            index += 1
            let here: TextPosition
            if byte == ASCIIByte.lineFeed {
                here = TextPosition(line: line, column: column + 1)
                if !afterCarriageReturn { line += 1 }
                column = 0
                afterCarriageReturn = false
            } else if byte == ASCIIByte.carriageReturn {
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
                if byte == ASCIIByte.lineFeed { continue }
            }

            switch state {
            case .unquoted:
                if try endFieldOrRecord(at: byte, delimiter: delimiter, emit) { continue }
                if byte == ASCIIByte.quote {
                    // Only whitespace so far: the field is quoted after all, and the whitespace is not data.
                    guard !fieldHasText else {
                        throw CSVError.quoteInUnquotedField(file: file, line: here.line, column: here.column)
                    }
                    record.bytes.removeSubrange(fieldOffset...)
                    quoteStart = here
                    state = .quoted
                } else {
                    record.bytes.append(byte)
                    if byte != ASCIIByte.space && byte != ASCIIByte.tab { fieldHasText = true }
                }
            case .fieldStart:
                if !recordOpen {
                    recordOpen = true
                    record.line = here.line
                }
                record.fieldStarts.append(here)
                fieldOffset = record.bytes.count
                if try endFieldOrRecord(at: byte, delimiter: delimiter, emit) { continue }
                if byte == ASCIIByte.quote {
                    quoteStart = here
                    state = .quoted
                } else {
                    record.bytes.append(byte)
                    fieldHasText = byte != ASCIIByte.space && byte != ASCIIByte.tab
                    state = .unquoted
                }
            case .quoted:
                if byte == ASCIIByte.quote {
                    state = .closingQuote
                } else {
                    record.bytes.append(byte)
                    if !ASCIIByte.isWhitespace(byte) { fieldHasText = true }
                }
            case .closingQuote where byte == ASCIIByte.quote:
                record.bytes.append(byte)
                fieldHasText = true
                state = .quoted
            case .closingQuote, .afterQuoted:
                if try endFieldOrRecord(at: byte, delimiter: delimiter, emit) { continue }
                guard byte == ASCIIByte.space || byte == ASCIIByte.tab else {
                    throw CSVError.textAfterClosingQuote(file: file, line: here.line, column: here.column)
                }
                state = .afterQuoted
            }
        }
    }

    /// Ends a record that ``CSVSimpleRecord`` read whole, at its line end `lineEnd`, as the state machine ends one.
    /// - Returns: where the next record starts.
    private mutating func endSimpleRecord(
        _ bytes: UnsafeBufferPointer<UInt8>,
        at lineEnd: Int,
        hasText: Bool,
        _ emit: (CSVRecord) throws -> Void
    ) throws -> Int {
        record.line = line
        if hasText {
            record.chunk = bytes
            defer { record.chunk = nil }
            try emit(record)
            pastHeader = true
        }
        record.spans.removeAll(keepingCapacity: true)
        line += 1
        column = 0
        var next = lineEnd + 1
        afterCarriageReturn = bytes[lineEnd] == ASCIIByte.carriageReturn
        if afterCarriageReturn, next < bytes.count {
            afterCarriageReturn = false
            if bytes[next] == ASCIIByte.lineFeed { next += 1 }
        } else {
            swallowLineFeed = afterCarriageReturn
        }
        return next
    }

    /// Ends the field at a delimiter, and the record with it at a line end, as every state but `.quoted` does.
    /// - Returns: whether `byte` was a delimiter or a line end.
    private mutating func endFieldOrRecord(
        at byte: UInt8,
        delimiter: UInt8,
        _ emit: (CSVRecord) throws -> Void
    ) throws -> Bool {
        if byte == delimiter {
            endField()
        } else if byte == ASCIIByte.lineFeed || byte == ASCIIByte.carriageReturn {
            endField()
            try endRecord(emit)
            swallowLineFeed = byte == ASCIIByte.carriageReturn
        } else {
            return false
        }
        state = .fieldStart
        return true
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
