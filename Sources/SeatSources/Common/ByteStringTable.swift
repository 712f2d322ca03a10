import CPrefetch

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Numbers distinct byte strings 0, 1, 2... in the order they are first added, and keeps each one's bytes once.
///
/// The readers key what they count by byte strings: user ids, DNs, customer and role cells. Kept back to back in
/// one buffer, a key costs its length plus about eighteen bytes, where a `String` in a `Dictionary` costs an
/// allocation, its header and a hash table entry; and looking up a known key allocates nothing. A lookup touches
/// two places only: its slot, which holds 32 bits of the key's hash, and the key's bytes.
struct ByteStringTable: Sendable {
    /// Every key's bytes, back to back in number order.
    private var storage: [UInt8] = []
    /// Where each key's bytes end in `storage`; a key starts where the one before it ends.
    private var ends: [UInt32] = []
    /// Open addressing with linear probing: a slot holds a key's hash in its high 32 bits and the key's number
    /// plus one in its low 32 bits; 0 marks an empty slot.
    ///
    /// The slots grow by half, not by doubling, and a hash picks its first slot by scaling rather than masking,
    /// so their number need not be a power of two: a reading keeps one table per customer, and doubled tables
    /// were often half empty (the benchmark's CSV: 16 MB of slots for 909,000 users, 11 MB grown by half).
    private var slots: [UInt64]
    /// `ends.count` and `slots.count`, kept beside the arrays rather than read from their heap headers.
    ///
    /// A reading keeps a table per customer and rows jump between customers, so every lookup lands in a table that
    /// is cold in cache. Read from the headers, the counts cost a cache miss that the slot's own miss had to wait
    /// for (the first slot is scaled by the slot count); kept here, they sit with the table's other fields, and
    /// the slots and keys are read through buffer pointers, whose loads do not wait for a header. Measured on the
    /// benchmark's 1,000,000-row CSV, 2,000 customers: the header loads were half of the time spent in `insert`.
    private(set) var count = 0
    private var slotCount: Int

    /// - Parameter capacity: how many keys fit before the first growth; tables that stay small start small.
    init(capacity: Int = 6) {
        var size = 8
        while size * 3 < capacity * 4 { size = Self.grown(size) }
        slots = [UInt64](repeating: 0, count: size)
        slotCount = size
    }

    /// The number of `key`, if it was added.
    func number(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        let (found, _) = probe(key, hash: Self.hash(key))
        return found
    }

    /// ``number(of:)``, for a table that a closure reaches through its capture: Swift copies such a table to call a
    /// non-mutating method on it, retaining and releasing each of its arrays, and calls a mutating one in place.
    mutating func numberInPlace(of key: UnsafeBufferPointer<UInt8>) -> Int? {
        number(of: key)
    }

    /// The number of `key`, which gets the next number when it is new.
    /// - Returns: the number, and whether `key` was new.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>) -> (number: Int, inserted: Bool) {
        // At most three quarters full, so that a probe for a missing key stays short.
        if (count + 1) * 4 > slotCount * 3 { grow() }
        let hash = Self.hash(key)
        let (found, slot) = probe(key, hash: hash)
        if let found { return (found, false) }
        let number = count
        precondition(storage.count + key.count <= Int(UInt32.max), "more than 4 GiB of distinct keys in one table")
        storage.appendGrowingByHalf(contentsOf: key)
        ends.appendGrowingByHalf(UInt32(storage.count))
        count += 1
        slots[slot] = hash << 32 | UInt64(number + 1)
        return (number, true)
    }

    /// Makes room for `bytes` more bytes of keys.
    mutating func reserveKeyBytes(_ bytes: Int) {
        storage.reserveCapacity(storage.count + bytes)
    }

    /// How many slots the index has; for tests.
    var slotCapacity: Int { slotCount }

    /// Makes room for `keys` more keys, so that adding them grows neither the slots nor the key ends: a reader that
    /// knows how many users a customer lists (a snapshot's users array, a group's members) rehashes the slots once
    /// instead of at every growth by half.
    mutating func reserveCapacity(_ keys: Int) {
        let needed = count + keys
        guard needed * 4 > slotCount * 3 else { return }
        var size = slotCount
        while needed * 4 > size * 3 { size = Self.grown(size) }
        rehash(into: size)
        ends.reserveCapacity(needed)
    }

    /// Asks for what adding a key reads besides its slot to be brought into cache: the counts of the arrays it
    /// appends to, and where it appends.
    func prefetchForInsert() {
        storage.prefetchHeader()
        ends.prefetchHeader()
        ends.prefetchElement(at: count)
    }

    /// Asks for the slot where a lookup of a key whose ``hash(_:)`` is `hash` starts to be brought into cache,
    /// ahead of the lookup.
    func prefetch(hash: UInt64) {
        let slot = Self.firstSlot(hash, of: slotCount)
        slots.withUnsafeBufferPointer { seat_prefetch($0.baseAddress! + slot) }
    }

    /// Looks `key`, whose hash is `hash`, up.
    /// - Returns: its number when it was added, else `nil` and the empty slot where it would go.
    private func probe(_ key: UnsafeBufferPointer<UInt8>, hash: UInt64) -> (number: Int?, slot: Int) {
        slots.withUnsafeBufferPointer { slots in
            var slot = Self.firstSlot(hash, of: slotCount)
            while true {
                let entry = slots[slot]
                if entry == 0 { return (nil, slot) }
                let number = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
                if entry >> 32 == hash, matches(number, key) { return (number, slot) }
                slot = slot + 1 == slotCount ? 0 : slot + 1
            }
        }
    }

    /// Calls `body` with the bytes of key `number`; they are valid only during the call.
    func withBytes<Result>(of number: Int, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = number == 0 ? 0 : Int(ends[number - 1])
        let end = Int(ends[number])
        return try storage.withUnsafeBufferPointer { try body(UnsafeBufferPointer(rebasing: $0[start..<end])) }
    }

    /// Key `number`, decoded as UTF-8.
    func string(_ number: Int) -> String {
        withBytes(of: number) { String(decoding: $0, as: UTF8.self) }
    }

    private func matches(_ number: Int, _ key: UnsafeBufferPointer<UInt8>) -> Bool {
        let (start, end) = ends.withUnsafeBufferPointer { (number == 0 ? 0 : Int($0[number - 1]), Int($0[number])) }
        guard end - start == key.count else { return false }
        guard let keyBase = key.baseAddress else { return true }
        return storage.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, keyBase, key.count) == 0 }
    }

    private mutating func grow() {
        rehash(into: Self.grown(slotCount))
    }

    private mutating func rehash(into size: Int) {
        let old = slots
        slotCount = size
        slots = [UInt64](repeating: 0, count: slotCount)
        for entry in old where entry != 0 {
            var slot = Self.firstSlot(entry >> 32, of: slotCount)
            while slots[slot] != 0 { slot = slot + 1 == slotCount ? 0 : slot + 1 }
            slots[slot] = entry
        }
    }

    private static func grown(_ size: Int) -> Int {
        size + size / 2
    }

    /// Where a key with this 32-bit hash starts probing among `count` slots: the hash scaled to `0..<count`.
    private static func firstSlot(_ hash: UInt64, of count: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* UInt64(count)) >> 32)
    }

    /// 32 bits of the key's hash; enough to place it in a table of up to 2^32 slots.
    ///
    /// A multiply-and-rotate hash over 8-byte words rather than `Hasher`: setting up SipHash for every cell of a
    /// million-row export cost a tenth of reading it. The per-process seed keeps the layout unpredictable from
    /// outside; keys come from the operator's own exports, and a hostile set of colliding ids would slow a read
    /// down, never change what it counts, since every match is confirmed byte for byte.
    static func hash(_ key: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var state = seed ^ UInt64(key.count) &* multiplier
        guard let base = key.baseAddress.map(UnsafeRawPointer.init) else { return mix(state) >> 32 }
        var offset = 0
        while offset + 8 <= key.count {
            state = (state ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
            state = state.rotatedLeft(by: 29)
            offset += 8
        }
        if offset < key.count {
            var tail: UInt64 = 0
            if key.count >= 8 {
                // The last eight bytes, overlapping the word before: one load rather than a loop over the rest.
                tail = base.loadUnaligned(fromByteOffset: key.count - 8, as: UInt64.self)
            } else {
                for index in offset..<key.count { tail = tail << 8 | UInt64(key[index]) }
            }
            state = (state ^ tail) &* multiplier
        }
        return mix(state) >> 32
    }

    /// The final mix of MurmurHash3 (`fmix64`), so that every input bit reaches the high bits used here.
    private static func mix(_ value: UInt64) -> UInt64 {
        var value = value
        value ^= value >> 33
        value &*= 0xFF51_AFD7_ED55_8CCD
        value ^= value >> 33
        value &*= 0xC4CE_B9FE_1A85_EC53
        value ^= value >> 33
        return value
    }

    private static let seed = UInt64.random(in: .min ... .max)
}

extension UInt64 {
    fileprivate func rotatedLeft(by count: UInt64) -> UInt64 {
        self << count | self >> (64 - count)
    }
}

extension ByteStringTable {
    /// The key a table numbered last and its number: runs of one key are common (the parent shared by a group's
    /// member DNs, the `uid=` type of their first RDNs), and a comparison with the last key costs less than a lookup.
    struct LastKey {
        fileprivate var bytes: [UInt8] = []
        fileprivate var number: Int?
    }

    /// The number of `key`, which gets the next number when it is new; a key equal to `last` is not looked up.
    mutating func insert(_ key: UnsafeBufferPointer<UInt8>, after last: inout LastKey) -> Int {
        if let number = last.number, ByteComparison.equal(last.bytes, key) { return number }
        let number = insert(key).number
        last.bytes.removeAll(keepingCapacity: true)
        last.bytes.append(contentsOf: key)
        last.number = number
        return number
    }
}
