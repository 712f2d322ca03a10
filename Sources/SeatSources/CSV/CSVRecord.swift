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
        while start < end && ASCIIByte.isWhitespace(bytes[start]) { start += 1 }
        while end > start && ASCIIByte.isWhitespace(bytes[end - 1]) { end -= 1 }
        return start..<end
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStarts.removeAll(keepingCapacity: true)
    }
}
