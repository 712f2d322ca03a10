/// The requests received so far, in arrival order, each updated once it is answered.
struct Ledger {
    private(set) var entries: [LedgerEntry] = []
    /// The arrival number of `entries[0]`; a reset moves it on, so that requests still in
    /// flight across a reset update nothing instead of someone else's entry.
    private var firstArrival = 0

    /// - Returns: the entry's arrival number, for ``update(_:_:)``.
    mutating func append(_ entry: LedgerEntry) -> Int {
        entries.append(entry)
        return firstArrival + entries.count - 1
    }

    /// - Returns: the updated entry, or `nil` when the ledger was reset since it arrived.
    mutating func update(_ arrival: Int, _ change: (inout LedgerEntry) -> Void) -> LedgerEntry? {
        let index = arrival - firstArrival
        guard entries.indices.contains(index) else { return nil }
        change(&entries[index])
        return entries[index]
    }

    mutating func reset() {
        firstArrival += entries.count
        entries = []
    }
}
