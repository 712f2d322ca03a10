#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Receives what ``LDIFLineSplitter`` finds: logical lines (unfolded, comments dropped) and the ends of records.
protocol LDIFLineSink {
    /// One logical line, its folds removed, without its line end.
    /// - Parameters:
    ///   - line: the bytes, valid only during the call.
    ///   - number: the 1-based line of the file where the logical line starts.
    mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws
    /// The end of a record: an empty line or the end of the file after at least one logical line.
    mutating func endOfRecord() throws
}

/// Splits LDIF bytes, fed in chunks of any size, into logical lines and records (RFC 2849 section "Notes on LDIF
/// syntax"): LF, CRLF or CR line ends; a line starting with one space continues the previous one, and exactly that
/// space is removed, so folds inside a UTF-8 sequence rejoin before anything is decoded; comment lines, folded or
/// not, are dropped; empty lines separate records.
///
/// A logical line that lies whole inside one chunk is handed on without being copied.
struct LDIFLineSplitter {
    /// The file name used in errors.
    let file: String
    /// The start of a physical line that the end of a chunk cut off.
    private var carry: [UInt8] = []
    /// The open logical line once it no longer lies whole in the current chunk.
    private var pending: [UInt8] = []
    private var open = OpenLine.none
    private var physicalLines = 0
    private var recordHasLines = false

    /// The logical line that a following fold would continue.
    private enum OpenLine {
        case none
        case comment
        /// Still in place in the chunk being fed.
        case inChunk(start: Int, end: Int, number: Int)
        /// Copied into `pending`.
        case buffered(number: Int)
    }

    init(file: String) {
        self.file = file
    }

    /// Splits the next chunk of the file.
    /// - Throws: ``LDIFError`` for a bad fold, separator or line end, or whatever `sink` throws.
    mutating func feed<Sink: LDIFLineSink>(_ chunk: UnsafeRawBufferPointer, into sink: inout Sink) throws {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: chunk.count)
        var position = 0
        while !carry.isEmpty, position < bytes.count {
            let lineEnd = Self.firstLineEnd(in: bytes, from: position)
            guard lineEnd != nil || carry.last == ASCIIByte.carriageReturn else {
                carry.append(contentsOf: bytes[position...])
                return
            }
            // Enough of the chunk to end the carried line, and the two bytes after a CR that tell a lone CR from
            // CRLF and from CR CR LF.
            let start = position
            let stop = min(bytes.count, (lineEnd ?? position) + 3)
            carry.append(contentsOf: bytes[start..<stop])
            position = stop
            try splitCarry(atEnd: false, into: &sink)
            // What is left over came from this chunk (the start of the next line): it is read in place with the
            // rest of the chunk. Kept in the carry, it made every later line of the chunk be copied through it,
            // twice (5% of the reading thread on the benchmark's group LDIF).
            if carry.count <= stop - start {
                position = stop - carry.count
                carry.removeAll(keepingCapacity: true)
            }
        }
        guard carry.isEmpty else { return }
        let rest = UnsafeBufferPointer(rebasing: bytes[position...])
        let split = try splitLines(rest, inPlace: true, atEnd: false, into: &sink)
        carry.append(contentsOf: rest[split.consumed...])
        if case .inChunk(let start, let end, let number) = open {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: rest[start..<end])
            open = .buffered(number: number)
        }
    }

    /// Splits what is left after the last chunk and ends the last record.
    ///
    /// A file may lack its final newline. When it does and its last logical line is broken (a base64 value of the
    /// wrong length, a UTF-8 sequence cut in half, no `:`), the error becomes ``LDIFError/endsMidRecord(file:line:cause:)``:
    /// the writer most likely stopped mid-line. A cut that happens to leave a well-formed line (mid plain-text
    /// value, or at a line or record boundary) cannot be told from a complete file; the identity check of
    /// ``SourceFile`` and the guard on decreases cover that case.
    mutating func finish<Sink: LDIFLineSink>(into sink: inout Sink) throws {
        if !carry.isEmpty, try splitCarry(atEnd: true, into: &sink), case .buffered(let number) = open {
            do {
                try flush(UnsafeBufferPointer(start: nil, count: 0), into: &sink)
            } catch let error as LDIFError where error.line == number {
                throw LDIFError.endsMidRecord(file: file, line: number, cause: error)
            }
        }
        try flush(UnsafeBufferPointer(start: nil, count: 0), into: &sink)
        if recordHasLines {
            recordHasLines = false
            try sink.endOfRecord()
        }
    }

    /// Splits the lines that `carry` completes and leaves in it the start of a line it does not.
    /// - Returns: whether the last line split had no line end (only when `atEnd`).
    @discardableResult
    private mutating func splitCarry<Sink: LDIFLineSink>(atEnd: Bool, into sink: inout Sink) throws -> Bool {
        var line: [UInt8] = []
        swap(&line, &carry)
        defer { swap(&line, &carry) }
        let split = try line.withUnsafeBufferPointer { bytes in
            try splitLines(bytes, inPlace: false, atEnd: atEnd, into: &sink)
        }
        line.removeFirst(split.consumed)
        return split.unterminated
    }

    /// Hands every physical line of `bytes` that is known to be complete to ``physicalLine(_:start:end:inPlace:into:)``.
    /// A line ends at LF, CRLF or a lone CR (classic Mac OS exports). Unless `atEnd`, a line is complete only once
    /// its line end and, after a CR, the bytes that tell which end it is have been seen.
    /// - Returns: how many bytes were split, and whether the last line had no line end.
    private mutating func splitLines<Sink: LDIFLineSink>(
        _ bytes: UnsafeBufferPointer<UInt8>,
        inPlace: Bool,
        atEnd: Bool,
        into sink: inout Sink
    ) throws -> (consumed: Int, unterminated: Bool) {
        var position = 0
        // The next LF at or after `position`, or `bytes.count`: searched for once, so that a file of CR line ends
        // is not scanned to the end of the chunk for every line.
        var lineFeed = -1
        while position < bytes.count {
            if lineFeed < position {
                lineFeed = Self.find(ASCIIByte.lineFeed, in: bytes, from: position, to: bytes.count)
            }
            var end = lineFeed
            var next = lineFeed + 1
            let carriageReturn = Self.find(ASCIIByte.carriageReturn, in: bytes, from: position, to: lineFeed)
            if carriageReturn < lineFeed {
                end = carriageReturn
                next = carriageReturn + 1
                if carriageReturn + 1 < bytes.count, bytes[carriageReturn + 1] == ASCIIByte.lineFeed {
                    next = carriageReturn + 2
                } else if carriageReturn + 1 == bytes.count
                    || (bytes[carriageReturn + 1] == ASCIIByte.carriageReturn && carriageReturn + 2 == bytes.count)
                {
                    guard atEnd else { return (position, false) }
                } else if bytes[carriageReturn + 1] == ASCIIByte.carriageReturn,
                    bytes[carriageReturn + 2] == ASCIIByte.lineFeed
                {
                    // Left as a lone CR and a CRLF, it would put an empty line, a record separator, after every
                    // line: converting CRLF to CRLF again leaves this.
                    throw LDIFError.strayCarriageReturn(file: file, line: physicalLines + 1)
                }
            } else if lineFeed == bytes.count {
                guard atEnd else { return (position, false) }
                try physicalLine(bytes, start: position, end: bytes.count, inPlace: inPlace, into: &sink)
                return (bytes.count, true)
            }
            try physicalLine(bytes, start: position, end: end, inPlace: inPlace, into: &sink)
            position = next
        }
        return (bytes.count, false)
    }

    /// Handles one physical line, `bytes[start..<end]` without its line end; `inPlace` says whether those bytes stay
    /// valid until the end of the chunk.
    private mutating func physicalLine<Sink: LDIFLineSink>(
        _ bytes: UnsafeBufferPointer<UInt8>,
        start: Int,
        end: Int,
        inPlace: Bool,
        into sink: inout Sink
    ) throws {
        physicalLines += 1
        let number = physicalLines
        var start = start
        if number == 1, Self.isUTF16(bytes[start..<end]) { throw LDIFError.utf16(file: file) }
        if number == 1, end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
            start += 3
        }

        if start == end {
            try flush(bytes, into: &sink)
            if recordHasLines {
                recordHasLines = false
                try sink.endOfRecord()
            }
            return
        }
        if bytes[start] == ASCIIByte.space {
            // A line of one space is a fold that adds nothing, as a writer folding at a space may leave; a line of
            // several is more likely a record separator gone wrong.
            guard end - start == 1 || bytes[(start + 1)..<end].contains(where: { $0 != ASCIIByte.space }) else {
                throw LDIFError.whitespaceOnlyLine(file: file, line: number)
            }
            let continuation = UnsafeBufferPointer(rebasing: bytes[(start + 1)..<end])
            switch open {
            case .none:
                throw LDIFError.continuationWithoutLine(file: file, line: number)
            case .comment:
                break
            case .inChunk(let openStart, let openEnd, let openNumber):
                pending.removeAll(keepingCapacity: true)
                pending.append(contentsOf: bytes[openStart..<openEnd])
                pending.append(contentsOf: continuation)
                open = .buffered(number: openNumber)
            case .buffered:
                pending.append(contentsOf: continuation)
            }
            return
        }
        try flush(bytes, into: &sink)
        if bytes[start] == ASCIIByte.hash {
            open = .comment
        } else if inPlace {
            open = .inChunk(start: start, end: end, number: number)
        } else {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: bytes[start..<end])
            open = .buffered(number: number)
        }
    }

    /// Hands the open logical line to `sink`; `chunk` is the chunk an `.inChunk` line lies in.
    private mutating func flush<Sink: LDIFLineSink>(_ chunk: UnsafeBufferPointer<UInt8>, into sink: inout Sink) throws {
        let line = open
        open = .none
        switch line {
        case .none, .comment:
            return
        case .inChunk(let start, let end, let number):
            recordHasLines = true
            try sink.line(UnsafeBufferPointer(rebasing: chunk[start..<end]), number: number)
        case .buffered(let number):
            recordHasLines = true
            try pending.withUnsafeBufferPointer { try sink.line($0, number: number) }
        }
    }

    /// The first index of `byte` in `bytes[start..<end]`, or `end`.
    private static func find(_ byte: UInt8, in bytes: UnsafeBufferPointer<UInt8>, from start: Int, to end: Int) -> Int {
        guard start < end, let base = bytes.baseAddress else { return end }
        guard let found = memchr(base + start, Int32(byte), end - start) else { return end }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }

    /// Where the first line end (LF or CR) at or after `start` is, if there is one.
    private static func firstLineEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int? {
        let lineFeed = find(ASCIIByte.lineFeed, in: bytes, from: start, to: bytes.count)
        let end = find(ASCIIByte.carriageReturn, in: bytes, from: start, to: lineFeed)
        return end < bytes.count ? end : nil
    }

    /// Whether the first line is UTF-16: it starts with a UTF-16 byte-order mark, or every other byte of its first
    /// character is NUL (`d\0n\0:\0` or `\0d\0n\0:`), which no UTF-8 text holds.
    private static func isUTF16(_ line: Slice<UnsafeBufferPointer<UInt8>>) -> Bool {
        guard line.count >= 2 else { return false }
        let first = line[line.startIndex]
        let second = line[line.startIndex + 1]
        return (first == 0xFF && second == 0xFE) || (first == 0xFE && second == 0xFF) || first == 0 || second == 0
    }
}
