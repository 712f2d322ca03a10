/// The memory a ``JSONTape``'s entries live in: one allocation that the parsers of both halves of a snapshot write
/// at once, each in its own range (``JSONArrayTail``), so that the tail's entries are used where they were made.
///
/// Copying them onto the tape after the tail was parsed cost a pass over half the entries and a first write to as
/// many fresh pages, a tenth of reading the benchmark's snapshot. Pages of the allocation never written are never
/// resident.
///
/// Huge pages only for a tape that keeps everything: a streamed tape (``JSONArrayConsumer``) writes a few pages
/// over and over, and each first write to a huge page zeroes 2 MiB.
///
/// `@unchecked Sendable`: threads write disjoint ranges, and ``grow(keeping:)`` runs only while no other thread
/// writes (``JSONParser`` waits for the tail first); once parsed, the entries are only read.
final class JSONTapeStorage: @unchecked Sendable {
    private(set) var entries: UnsafeMutablePointer<JSONTape.Entry>
    private(set) var capacity: Int
    private let isLarge: Bool

    /// - Parameter large: whether the tape will be written whole, and its pages should be huge ones.
    init(capacity: Int, large: Bool) {
        self.capacity = Swift.max(capacity, 16)
        isLarge = large
        entries = .allocate(capacity: self.capacity)
        adviseHugePages()
    }

    deinit { entries.deallocate() }

    /// Makes room for half as many entries again, keeping the first `count`.
    func grow(keeping count: Int) {
        let larger = capacity + capacity / 2
        let moved = UnsafeMutablePointer<JSONTape.Entry>.allocate(capacity: larger)
        moved.moveInitialize(from: entries, count: count)
        entries.deallocate()
        entries = moved
        capacity = larger
        adviseHugePages()
    }

    private func adviseHugePages() {
        guard isLarge else { return }
        let bytes = capacity * MemoryLayout<JSONTape.Entry>.stride
        HugePages.advise(UnsafeMutableRawBufferPointer(start: entries, count: bytes))
    }
}
