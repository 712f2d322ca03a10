/// The requests received so far, in arrival order, each updated once it is answered.
struct Ledger {
    private(set) var entries: [LedgerEntry] = []
    /// The arrival number of `entries[0]`; a reset moves it on, so that requests still in
    /// flight across a reset update nothing instead of someone else's entry.
    private var firstArrival = 0

    /// - Returns: the entry's arrival number, for ``replace(_:with:)``.
    mutating func append(_ entry: LedgerEntry) -> Int {
        entries.append(entry)
        return firstArrival + entries.count - 1
    }

    /// Puts the answered form of an entry in its place; does nothing when the ledger was
    /// reset since the entry arrived.
    mutating func replace(_ arrival: Int, with entry: LedgerEntry) {
        let index = arrival - firstArrival
        if entries.indices.contains(index) {
            entries[index] = entry
        }
    }

    mutating func reset() {
        firstArrival += entries.count
        entries = []
    }
}
