/// A place in a text file: 1-based physical line, and 1-based column counted in characters.
package struct TextPosition: Sendable, Hashable {
    package var line: Int
    package var column: Int
}

/// One record of a CSV file: the unquoted bytes of its fields and where each field starts.
///
/// The tokenizer reuses one record's storage for every row, so reading a file allocates per kept cell,
/// never per row.
package struct CSVRecord {
    /// The physical line the record starts on; a quoted field may carry it over several lines.
    package internal(set) var line = 0
    var bytes: [UInt8] = []
    var fieldEnds: [Int] = []
    var fieldStarts: [TextPosition] = []

    package var fieldCount: Int { fieldEnds.count }

    /// Where field `index` starts (its opening quote, if quoted).
    package func position(ofField index: Int) -> TextPosition { fieldStarts[index] }

    /// Field `index` with leading and trailing whitespace removed.
    package func field(_ index: Int) -> String {
        bytes.withUnsafeBufferPointer { all in
            // Bytes were checked as UTF-8 while tokenizing, so decoding cannot repair anything here.
            String(decoding: UnsafeBufferPointer(rebasing: all[trimmedRange(ofField: index)]), as: UTF8.self)
        }
    }

    /// Calls `body` with the bytes of field `index` without leading and trailing whitespace.
    func withTrimmedBytes<Result>(
        ofField index: Int,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows
        -> Result
    {
        try bytes.withUnsafeBufferPointer { all in
            try body(UnsafeBufferPointer(rebasing: all[trimmedRange(ofField: index)]))
        }
    }

    private func trimmedRange(ofField index: Int) -> Range<Int> {
        var start = index == 0 ? 0 : fieldEnds[index - 1]
        var end = fieldEnds[index]
        while start < end && CSVByte.isSpace(bytes[start]) { start += 1 }
        while end > start && CSVByte.isSpace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStarts.removeAll(keepingCapacity: true)
    }
}

/// The bytes the tokenizer gives meaning to.
enum CSVByte {
    static let quote: UInt8 = 0x22
    static let carriageReturn: UInt8 = 0x0D
    static let lineFeed: UInt8 = 0x0A
    static let space: UInt8 = 0x20
    static let tab: UInt8 = 0x09
    static let comma: UInt8 = 0x2C
    static let semicolon: UInt8 = 0x3B

    /// Whitespace that trimming removes from a cell.
    @inline(__always)
    static func isSpace(_ byte: UInt8) -> Bool {
        byte == space || byte == tab || byte == carriageReturn || byte == lineFeed
    }
}
