/// The memory a ``JSONTape``'s entries live in: one allocation that the parsers of both halves of a snapshot write
/// at once, each in its own range (``JSONArrayTail``), so that the tail's entries are used where they were made.
///
/// Copying them onto the tape after the tail was parsed cost a pass over half the entries and a first write to as
/// many fresh pages, a tenth of reading the benchmark's snapshot. Pages of the allocation never written are never
/// resident.
///
/// `@unchecked Sendable`: threads write disjoint ranges, and ``grow(keeping:)`` runs only while no other thread
/// writes (``JSONParser`` waits for the tail first); once parsed, the entries are only read.
final class JSONTapeStorage: @unchecked Sendable {
    private(set) var entries: UnsafeMutablePointer<JSONTape.Entry>
    private(set) var capacity: Int

    init(capacity: Int) {
        self.capacity = Swift.max(capacity, 16)
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
        let bytes = capacity * MemoryLayout<JSONTape.Entry>.stride
        HugePages.advise(UnsafeMutableRawBufferPointer(start: entries, count: bytes))
    }
}
