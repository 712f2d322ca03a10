/// The first few of many normalised DNs in sorted order, without sorting them all: a directory without user
/// entries leaves every member unresolved, and sorting a million DNs only to show ten would cost more than reading
/// the file.
struct LDIFSmallestDNs {
    /// How many are kept.
    let limit: Int
    private(set) var kept: [String] = []
    /// The largest kept DN, once `kept` is full, when it is ASCII: for ASCII, byte order is string order, so a DN
    /// past it needs no `String` to be passed over.
    private var largest: [UInt8]?

    init(limit: Int) {
        self.limit = limit
    }

    /// Keeps `dn` if it is among the `limit` smallest so far.
    mutating func offer(_ dn: UnsafeBufferPointer<UInt8>) {
        if let largest, !ByteComparison.precedes(dn, largest), !dn.contains(where: { $0 >= 0x80 }) { return }
        let text = String(decoding: dn, as: UTF8.self)
        keep(text)
    }

    /// Keeps the DNs `other` kept that are among the `limit` smallest of both; a DN both kept is kept once.
    mutating func merge(_ other: Self) {
        // By bytes, as DNs are numbered: two spellings `String` finds equal are two DNs.
        for text in other.kept where !kept.contains(where: { $0.utf8.elementsEqual(text.utf8) }) { keep(text) }
    }

    private mutating func keep(_ text: String) {
        if kept.count == limit, text >= kept[limit - 1] { return }
        kept.insert(text, at: kept.firstIndex { text < $0 } ?? kept.count)
        if kept.count > limit { kept.removeLast() }
        if kept.count == limit {
            let last = Array(kept[limit - 1].utf8)
            largest = last.contains { $0 >= 0x80 } ? nil : last
        }
    }
}
