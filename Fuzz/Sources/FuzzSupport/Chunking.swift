/// The ways a harness cuts one input into the chunks a streaming parser is fed.
///
/// The readers stream a file in 1 MiB chunks, so through the public API an input of a few KB is always one chunk
/// and the code that carries a line, a quoted field or a UTF-8 sequence over a chunk boundary never runs. The
/// harnesses therefore also feed the parsers directly, and require the same result however the input is cut.
package enum Chunking {
    /// Whole; one byte at a time (every boundary is a chunk boundary); and in two at a point chosen from the
    /// input's bytes, so that a crash reproduces from the input alone.
    /// - Returns: per way of cutting, the byte ranges of its chunks in order.
    package static func plans(for bytes: UnsafeRawBufferPointer) -> [[Range<Int>]] {
        let count = bytes.count
        // FNV-1a: the same on every run, unlike `Hasher`, which is seeded per process.
        let hash = bytes.reduce(UInt64(0xcbf2_9ce4_8422_2325)) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
        let cut = count == 0 ? 0 : Int(hash % UInt64(count + 1))
        return [[0..<count], (0..<count).map { $0..<($0 + 1) }, [0..<cut, cut..<count]]
    }
}
