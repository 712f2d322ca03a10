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
/// syntax"): LF or CRLF line ends; a line starting with one space continues the previous one, and exactly that
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
    /// - Throws: ``LDIFError`` for a bad fold or separator, or whatever `sink` throws.
    mutating func feed<Sink: LDIFLineSink>(_ chunk: UnsafeRawBufferPointer, into sink: inout Sink) throws {
        guard let base = chunk.baseAddress, !chunk.isEmpty else { return }
        let bytes = UnsafeBufferPointer(start: base.assumingMemoryBound(to: UInt8.self), count: chunk.count)
        var position = 0
        if !carry.isEmpty {
            guard let newline = Self.newline(in: bytes, from: 0) else {
                carry.append(contentsOf: bytes)
                return
            }
            carry.append(contentsOf: bytes[0..<newline])
            try splitCarry(into: &sink)
            position = newline + 1
        }
        while position < bytes.count {
            guard let newline = Self.newline(in: bytes, from: position) else {
                carry.append(contentsOf: bytes[position...])
                break
            }
            try physicalLine(bytes, start: position, end: newline, inPlace: true, into: &sink)
            position = newline + 1
        }
        if case .inChunk(let start, let end, let number) = open {
            pending.removeAll(keepingCapacity: true)
            pending.append(contentsOf: bytes[start..<end])
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
        if !carry.isEmpty {
            try splitCarry(into: &sink)
            if case .buffered(let number) = open {
                do {
                    try flush(UnsafeBufferPointer(start: nil, count: 0), into: &sink)
                } catch let error as LDIFError where error.line == number {
                    throw LDIFError.endsMidRecord(file: file, line: number, cause: error)
                }
            }
        }
        try flush(UnsafeBufferPointer(start: nil, count: 0), into: &sink)
        if recordHasLines {
            recordHasLines = false
            try sink.endOfRecord()
        }
    }

    private mutating func splitCarry<Sink: LDIFLineSink>(into sink: inout Sink) throws {
        var line: [UInt8] = []
        swap(&line, &carry)
        defer {
            line.removeAll(keepingCapacity: true)
            swap(&line, &carry)
        }
        try line.withUnsafeBufferPointer { bytes in
            try physicalLine(bytes, start: 0, end: bytes.count, inPlace: false, into: &sink)
        }
    }

    /// Handles one physical line, `bytes[start..<end]` without its LF; `inPlace` says whether those bytes stay
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
        var end = end
        if number == 1, end - start >= 3, bytes[start] == 0xEF, bytes[start + 1] == 0xBB, bytes[start + 2] == 0xBF {
            start += 3
        }
        if end > start, bytes[end - 1] == LDIFByte.carriageReturn {
            end -= 1
            // Left in place, the second CR would end every value: `cn: editors\r` maps to no group, and a member
            // DN matches no entry, so the export would read cleanly with the wrong seats.
            if end > start, bytes[end - 1] == LDIFByte.carriageReturn {
                throw LDIFError.strayCarriageReturn(file: file, line: number)
            }
        }

        if start == end {
            try flush(bytes, into: &sink)
            if recordHasLines {
                recordHasLines = false
                try sink.endOfRecord()
            }
            return
        }
        if bytes[start] == LDIFByte.space {
            guard bytes[start..<end].contains(where: { $0 != LDIFByte.space }) else {
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
        if bytes[start] == LDIFByte.hash {
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

    private static func newline(in bytes: UnsafeBufferPointer<UInt8>, from position: Int) -> Int? {
        guard position < bytes.count, let base = bytes.baseAddress else { return nil }
        guard let found = memchr(base + position, Int32(LDIFByte.lineFeed), bytes.count - position) else { return nil }
        return base.distance(to: found.assumingMemoryBound(to: UInt8.self))
    }
}

/// The ASCII bytes the LDIF layers look for.
enum LDIFByte {
    static let lineFeed: UInt8 = 0x0A
    static let carriageReturn: UInt8 = 0x0D
    static let space: UInt8 = 0x20
    static let hash: UInt8 = 0x23
    static let colon: UInt8 = 0x3A
    static let semicolon: UInt8 = 0x3B
    static let lessThan: UInt8 = 0x3C
    static let equals: UInt8 = 0x3D
    static let comma: UInt8 = 0x2C
    static let plus: UInt8 = 0x2B
    static let backslash: UInt8 = 0x5C
    static let quote: UInt8 = 0x22

    /// Whether the byte is what the readers trim from the ends of ids and names: space, tab, CR or LF.
    @inline(__always)
    static func isWhitespace(_ byte: UInt8) -> Bool {
        byte == space || byte == 0x09 || byte == carriageReturn || byte == lineFeed
    }

    /// The byte lower-cased if it is an ASCII capital letter.
    @inline(__always)
    static func lower(_ byte: UInt8) -> UInt8 {
        byte &- 0x41 < 26 ? byte | 0x20 : byte
    }
}
