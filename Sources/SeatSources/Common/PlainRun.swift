/// Finds runs of bytes that need no decision: ASCII from the space on other than `"` and one more byte, a CSV field's
/// delimiter or a JSON string's backslash.
///
/// The bulk of any export is such runs: the CSV tokenizer copies them in one go, and the JSON parser passes over
/// them to a string's closing quote.
enum PlainRun {
    /// Where the run of ASCII bytes from the space on (DEL among them) other than `delimiter` and `"` that starts at
    /// `start` ends. The CSV reader checks its cells for control characters itself.
    static func end(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        scan(bytes, from: start, delimiter: delimiter, endsAtDelete: false)
    }

    /// ``end(in:from:delimiter:)`` for printable ASCII (0x20 to 0x7E): DEL ends the run too, so that a JSON string
    /// that is one run holds no control character (``JSONTape/View/printableText(_:)``). Testing for DEL costs the
    /// CSV reader, which does not need it, 1% of its instructions.
    static func printableEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int, delimiter: UInt8) -> Int {
        scan(bytes, from: start, delimiter: delimiter, endsAtDelete: true)
    }

    /// Tests eight bytes at a time: in each test below, the lowest flagged byte of a word is exactly the first byte
    /// that fails it (borrows and carries only ever flag bytes above it), which is all that is asked for.
    @inline(__always)
    private static func scan(
        _ bytes: UnsafeBufferPointer<UInt8>,
        from start: Int,
        delimiter: UInt8,
        endsAtDelete: Bool
    ) -> Int {
        let ones: UInt64 = 0x0101_0101_0101_0101
        let highs: UInt64 = 0x8080_8080_8080_8080
        let delimiters = ones &* UInt64(delimiter)
        let quotes = ones &* UInt64(ASCIIByte.quote)
        var end = start
        if let base = bytes.baseAddress.map(UnsafeRawPointer.init) {
            while end + 8 <= bytes.count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: end, as: UInt64.self))
                let belowSpace = (word &- ones &* UInt64(ASCIIByte.space)) & ~word
                let atDelimiter = ((word ^ delimiters) &- ones) & ~(word ^ delimiters)
                let atQuote = ((word ^ quotes) &- ones) & ~(word ^ quotes)
                // 0x7F plus one is the only byte below 0x80 whose high bit the addition sets.
                let atDelete = endsAtDelete ? word &+ ones : 0
                let stops = (word | belowSpace | atDelimiter | atQuote | atDelete) & highs
                if stops != 0 { return end + stops.trailingZeroBitCount / 8 }
                end += 8
            }
        }
        let limit: UInt8 = endsAtDelete ? 0x7F : 0x80
        while end < bytes.count {
            let byte = bytes[end]
            guard byte >= ASCIIByte.space && byte < limit && byte != delimiter && byte != ASCIIByte.quote else { break }
            end += 1
        }
        return end
    }

    /// Where the run of spaces that starts at `start` ends.
    ///
    /// Pretty-printed JSON is about half indentation: the benchmark's snapshot is 29 MB pretty-printed, 13 MB
    /// minified. A word of eight spaces is passed in one test, and the first byte that differs in the last word
    /// read is the first bit the XOR with eight spaces sets.
    static func spacesEnd(in bytes: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        let spaces: UInt64 = 0x2020_2020_2020_2020
        var end = start
        if let base = bytes.baseAddress.map(UnsafeRawPointer.init) {
            while end + 8 <= bytes.count {
                let word = UInt64(littleEndian: base.loadUnaligned(fromByteOffset: end, as: UInt64.self))
                let differs = word ^ spaces
                if differs != 0 { return end + differs.trailingZeroBitCount / 8 }
                end += 8
            }
        }
        while end < bytes.count && bytes[end] == ASCIIByte.space { end += 1 }
        return end
    }
}
