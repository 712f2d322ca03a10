/// The tokenizer's fast path: a record as most rows of an export are, read in one go rather than byte by byte.
///
/// A simple record is whole in the chunk, printable ASCII, its quoted fields hold no quote or line break, and
/// nothing stands between a closing quote and the delimiter. Its fields and their positions are exactly what the
/// state machine would produce; anything else is left to the state machine.
enum CSVSimpleRecord {
    /// Reads where the fields of the record that starts at `start`, at `column` (0 at the start of a line), lie in
    /// `bytes`, into `spans`, which must be empty.
    /// - Returns: the index of the CR or LF that ends the record, and whether a field holds more than spaces;
    ///   `nil` when the record is not simple, and then `spans` is left empty.
    static func read(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        column: Int,
        delimiter: UInt8,
        into spans: inout [CSVFieldSpan]
    ) -> (lineEnd: Int, hasText: Bool)? {
        var position = start
        var hasText = false
        while true {
            let fieldStart = position
            let content: Range<Int>
            if position < bytes.count, bytes[position] == ASCIIByte.quote {
                // Stopping only at a quote, a control byte or non-ASCII: the delimiter is data inside quotes.
                let end = PlainRun.end(in: bytes, from: position + 1, delimiter: ASCIIByte.quote)
                guard end < bytes.count, bytes[end] == ASCIIByte.quote else { return abandon(&spans) }
                content = (position + 1)..<end
                position = end + 1
            } else {
                content = position..<PlainRun.end(in: bytes, from: position, delimiter: delimiter)
                position = content.upperBound
            }
            guard position < bytes.count else { return abandon(&spans) }
            let next = bytes[position]
            guard next == delimiter || next == ASCIIByte.lineFeed || next == ASCIIByte.carriageReturn,
                position - start <= InputLimits.maxValueBytes
            else {
                // The state machine refuses an oversized record and names the field.
                return abandon(&spans)
            }
            let fieldColumn = column + fieldStart - start + 1
            spans.append(CSVFieldSpan(start: content.lowerBound, end: content.upperBound, column: fieldColumn))
            hasText = hasText || bytes[content].contains { $0 != ASCIIByte.space }
            if next != delimiter { return (position, hasText) }
            position += 1
        }
    }

    private static func abandon(_ spans: inout [CSVFieldSpan]) -> (lineEnd: Int, hasText: Bool)? {
        spans.removeAll(keepingCapacity: true)
        return nil
    }
}
