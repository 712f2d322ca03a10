/// A place in a text file: 1-based physical line, and 1-based column counted in characters.
package struct TextPosition: Sendable, Hashable {
    package var line: Int
    package var column: Int
}

/// One record of a CSV file: its fields' unquoted bytes and where each field starts.
///
/// A record the tokenizer's state machine builds holds copies of its fields' bytes, in storage reused for every row,
/// so reading a file allocates per kept cell, never per row. A simple record (``CSVSimpleRecord``), which is most
/// rows of any export, is not copied at all: it points into the chunk that holds it, and is valid only while it is
/// being emitted. Copying every row's bytes into the record was a third of the reading thread's time on the
/// benchmark's 1,000,000-row CSV.
package struct CSVRecord {
    /// The physical line the record starts on; a quoted field may carry it over several lines.
    package internal(set) var line = 0
    var bytes: [UInt8] = []
    var fieldEnds: [Int] = []
    var fieldStarts: [TextPosition] = []
    /// The chunk a simple record lies in, while it is emitted; `nil` for a record built in `bytes`.
    var chunk: UnsafeBufferPointer<UInt8>?
    /// A simple record's fields, by where they lie in `chunk`.
    var spans: [CSVFieldSpan] = []

    package var fieldCount: Int { chunk == nil ? fieldEnds.count : spans.count }

    /// Where field `index` starts (its opening quote, if quoted).
    package func position(ofField index: Int) -> TextPosition {
        chunk == nil ? fieldStarts[index] : TextPosition(line: line, column: spans[index].column)
    }

    /// Field `index` with leading and trailing whitespace removed.
    package func field(_ index: Int) -> String {
        // Bytes were checked as UTF-8 while tokenizing, so decoding cannot repair anything here.
        withTrimmedBytes(ofField: index) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of field `index` without leading and trailing whitespace.
    func withTrimmedBytes<Result>(
        ofField index: Int,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows
        -> Result
    {
        if let chunk {
            return try body(Self.trimmed(chunk, spans[index].start..<spans[index].end))
        }
        return try bytes.withUnsafeBufferPointer { all in
            try body(Self.trimmed(all, (index == 0 ? 0 : fieldEnds[index - 1])..<fieldEnds[index]))
        }
    }

    private static func trimmed(_ all: UnsafeBufferPointer<UInt8>, _ range: Range<Int>) -> UnsafeBufferPointer<UInt8> {
        ASCIIByte.trimmed(UnsafeBufferPointer(rebasing: all[range]))
    }

    mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
        fieldEnds.removeAll(keepingCapacity: true)
        fieldStarts.removeAll(keepingCapacity: true)
        spans.removeAll(keepingCapacity: true)
    }
}

/// Where one field of a simple record lies in its chunk: its unquoted bytes, and the column it starts at.
struct CSVFieldSpan {
    var start: Int
    var end: Int
    var column: Int
}
