#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives every distinct normalised DN a small number and keeps its bytes once.
///
/// Member lists hold these numbers instead of strings: a million member values cost four bytes each, and looking
/// up a DN that is already known allocates nothing. A DN is kept as its first RDN and the number of its parent (the
/// DN after the first RDN) in a table of parents: the members of an export share a handful of parents
/// (`ou=people,o=acme,dc=example,dc=com`), so a DN costs the bytes of its RDN rather than its full length.
///
/// The table keeps its own hash index rather than a ``ByteStringTable``, so that the index can be dropped once the
/// file is read (``dropIndex()``): resolution only turns numbers back into bytes. On the many-groups benchmark
/// (1,020,000 distinct DNs) the index was 16.8 MB of the 119 MB heap peak, held through the whole resolution.
struct DNTable {
    /// Per DN, the number of its parent in `parents` (4 bytes, ``noParent`` for a DN of one RDN), then its first
    /// RDN; back to back in number order. Once the index is dropped, only the RDNs: the parents are in
    /// `parentRuns`.
    private var storage: [UInt8] = []
    /// Once the index is dropped, the parent and the attribute type of the first RDN (`uid=`) of each run of
    /// consecutively numbered DNs that share them: the DNs a group's members name first are numbered together, so
    /// a run is a group's worth rather than eight bytes or so a DN (the many-groups benchmark: peak RSS 104 MB ->
    /// 98 MB).
    private var parentRuns: [ParentRun] = []
    /// For each block of ``runBlock`` consecutive DN numbers, the run of the first DN of the block: a DN's run is
    /// searched for among the few runs of its block rather than among all of them. The search over all was 4% of
    /// resolution on the many-groups benchmark; the blocks cost 16 KB per million DNs.
    private var blockRuns: [Int32] = []
    private static let runBlock = 256
    /// The attribute types that start the first RDNs, with their `=`, once the index is dropped.
    private var types = ByteStringTable()
    private var isIndexed = true
    /// Where each DN's bytes end in `storage`; a DN starts where the one before it ends.
    private var ends: [UInt32] = []
    /// Open addressing with linear probing: a DN's 32-bit hash in the high half, its number plus one in the low
    /// half; 0 marks an empty slot. Empty once ``dropIndex()`` was called.
    private var slots = [UInt64](repeating: 0, count: 1024)
    /// The parents of the DNs, whole.
    private var parents = ByteStringTable()
    /// The parent of the DN numbered last: consecutive member values usually share it.
    private var lastParent = ByteStringTable.LastKey()

    /// DNs held without a number (``hold(_:)``): the first RDN of each, back to back.
    private var held: [UInt8] = []
    /// Where each held DN's RDN ends in `held`.
    private var heldEnds: [UInt32] = []
    /// The parent of each run of consecutive held DNs that share it.
    private var heldRuns: [HeldRun] = []

    private static let noParent = UInt32.max

    /// Held DNs from `first` on, up to the next run, have parent `parent`.
    private struct HeldRun {
        var first: Int32
        var parent: UInt32
    }

    /// DNs numbered from `first` on, up to the next run, have parent `parent` and a first RDN starting with the
    /// type numbered `type` in `types`.
    private struct ParentRun {
        var first: Int32
        var parent: UInt32
        var type: UInt32
    }

    var count: Int { ends.count }

    /// How many DNs are held without a number.
    var heldCount: Int { heldEnds.count }

    /// The number of `dn`, which must already be normalised; a DN seen for the first time gets the next number.
    mutating func id(of dn: UnsafeBufferPointer<UInt8>) -> Int32 {
        precondition(isIndexed, "a DN is looked up after the index was dropped")
        let (parent, rdn) = split(dn)
        return id(parent: parent, rdn: rdn)
    }

    /// Keeps `dn`, which must already be normalised, without a number: held DNs are numbered by
    /// ``numberHeld(_:appendingTo:)`` once they are known to be needed, in the order they were held.
    ///
    /// Numbering a DN looks it up in the index, most often a cache miss; holding it appends its RDN. The members
    /// of groups that no mapping names are held, and only numbered when a mapped group nests their group: on the
    /// many-groups benchmark, where seven groups in ten are unmapped, numbering every member was a fifth of the run.
    mutating func hold(_ dn: UnsafeBufferPointer<UInt8>) {
        precondition(isIndexed, "a DN is held after the index was dropped")
        let (parent, rdn) = split(dn)
        precondition(held.count + rdn.count <= Int(UInt32.max), "more than 4 GiB of held DNs")
        if heldRuns.last?.parent != parent { heldRuns.append(HeldRun(first: Int32(heldEnds.count), parent: parent)) }
        held.appendGrowingByHalf(contentsOf: rdn)
        heldEnds.appendGrowingByHalf(UInt32(held.count))
    }

    /// Numbers the held DNs in `range`, in order, and appends their numbers to `ids`; they stay held.
    mutating func numberHeld(_ range: Range<Int>, appendingTo ids: inout [Int32]) {
        guard !range.isEmpty else { return }
        // The bytes are read while `id(parent:rdn:)` changes the rest of the table.
        var bytes: [UInt8] = []
        swap(&bytes, &held)
        defer { swap(&bytes, &held) }
        // The last run starting at or before the range: the first held DN starts a run, so there is one.
        var run = 0
        var high = heldRuns.count
        while high - run > 1 {
            let middle = (run + high) / 2
            if Int(heldRuns[middle].first) <= range.lowerBound { run = middle } else { high = middle }
        }
        bytes.withUnsafeBufferPointer { bytes in
            for index in range {
                while run + 1 < heldRuns.count, Int(heldRuns[run + 1].first) <= index { run += 1 }
                let start = index == 0 ? 0 : Int(heldEnds[index - 1])
                let rdn = UnsafeBufferPointer(rebasing: bytes[start..<Int(heldEnds[index])])
                ids.appendGrowingByHalf(id(parent: heldRuns[run].parent, rdn: rdn))
            }
        }
    }

    /// Forgets the held DNs from the `count`th on, keeping the room they took for the next ones.
    mutating func releaseHeld(from count: Int) {
        guard count < heldEnds.count else { return }
        held.removeSubrange((count == 0 ? 0 : Int(heldEnds[count - 1]))...)
        heldEnds.removeSubrange(count...)
        while let last = heldRuns.last, Int(last.first) >= count { heldRuns.removeLast() }
    }

    /// The parent number and first RDN of the normalised `dn`; the parent is numbered if it is new.
    private mutating func split(_ dn: UnsafeBufferPointer<UInt8>) -> (parent: UInt32, rdn: UnsafeBufferPointer<UInt8>) {
        let rdnEnd = Self.firstRDNEnd(dn)
        var parent = Self.noParent
        if rdnEnd < dn.count {
            parent = UInt32(parents.insert(UnsafeBufferPointer(rebasing: dn[(rdnEnd + 1)...]), after: &lastParent))
        }
        return (parent, UnsafeBufferPointer(rebasing: dn[..<rdnEnd]))
    }

    /// The number of the DN with parent number `parent` and first RDN `rdn`; a new one gets the next number.
    private mutating func id(parent: UInt32, rdn: UnsafeBufferPointer<UInt8>) -> Int32 {
        // At most three quarters full, so that a probe for a missing DN stays short.
        if (ends.count + 1) * 4 > slots.count * 3 { grow() }
        let hash = Self.hash(parent: parent, rdn: rdn)
        var slot = Self.firstSlot(hash, of: slots.count)
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            let number = Int(truncatingIfNeeded: entry & 0xFFFF_FFFF) - 1
            if entry >> 32 == hash, matches(number, parent: parent, rdn: rdn) { return Int32(number) }
            slot = slot + 1 == slots.count ? 0 : slot + 1
        }
        let number = ends.count
        precondition(storage.count + 4 + rdn.count <= Int(UInt32.max), "more than 4 GiB of distinct DNs")
        precondition(number < Int(Int32.max), "more than 2^31 distinct DNs")
        withUnsafeBytes(of: parent.littleEndian) {
            storage.appendGrowingByHalf(contentsOf: $0.bindMemory(to: UInt8.self))
        }
        storage.appendGrowingByHalf(contentsOf: rdn)
        ends.appendGrowingByHalf(UInt32(storage.count))
        slots[slot] = hash << 32 | UInt64(number + 1)
        return Int32(number)
    }

    /// Frees the index that ``id(of:)`` needs, the held DNs, and the room kept for growth, keeping the numbered DNs'
    /// bytes: no DN can be looked up, added or held afterwards.
    mutating func dropIndex() {
        guard isIndexed else { return }
        isIndexed = false
        slots = []
        held = []
        heldEnds = []
        heldRuns = []
        lastParent = ByteStringTable.LastKey()
        var runs: [ParentRun] = []
        var bytes: [UInt8] = []
        var ends: [UInt32] = []
        swap(&bytes, &storage)
        swap(&ends, &self.ends)
        var written = 0
        bytes.withUnsafeMutableBufferPointer { bytes in
            guard let base = bytes.baseAddress else { return }
            var start = 0
            // Consecutive DNs mostly share their type (`uid=`): looked up for each of a million DNs, it was a third
            // of this loop. The last type is kept as a copy, since the compaction below writes over the DN.
            var lastType = ByteStringTable.LastKey()
            for id in ends.indices {
                let end = Int(ends[id])
                let parent = UInt32(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt32.self))
                let rdn = UnsafeBufferPointer(rebasing: bytes[(start + 4)..<end])
                // A normalised type holds no `=` nor escape: the first `=` ends it.
                let typeCount = rdn.firstIndex(of: ASCIIByte.equals).map { $0 - rdn.startIndex + 1 } ?? 0
                let typeBytes = UnsafeBufferPointer(rebasing: rdn[..<(rdn.startIndex + typeCount)])
                let type = UInt32(types.insert(typeBytes, after: &lastType))
                if runs.last.map({ $0.parent != parent || $0.type != type }) ?? true {
                    runs.append(ParentRun(first: Int32(id), parent: parent, type: type))
                }
                let valueCount = rdn.count - typeCount
                if valueCount > 0 { memmove(base + written, base + start + 4 + typeCount, valueCount) }
                written += valueCount
                ends[id] = UInt32(written)
                start = end
            }
        }
        bytes.removeLast(bytes.count - written)
        storage = bytes.withExactCapacity()
        bytes = []
        self.ends = ends.withExactCapacity()
        parentRuns = runs.withExactCapacity()
        var run = 0
        blockRuns = stride(from: 0, to: ends.count, by: Self.runBlock).map { first in
            while run + 1 < parentRuns.count, parentRuns[run + 1].first <= first { run += 1 }
            return Int32(run)
        }
    }

    /// The normalised DN numbered `id`.
    func dn(_ id: Int32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the normalised DN numbered `id`; they are valid only during the call.
    func withBytes<Result>(of id: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        let start = id == 0 ? 0 : Int(ends[Int(id) - 1])
        let end = Int(ends[Int(id)])
        return try storage.withUnsafeBufferPointer { storage in
            guard isIndexed else {
                let run = self.run(of: id)
                return try types.withBytes(of: Int(run.type)) { type in
                    try withDN(type, UnsafeBufferPointer(rebasing: storage[start..<end]), parent: run.parent, body)
                }
            }
            let parent = UInt32(
                littleEndian: UnsafeRawPointer(storage.baseAddress! + start).loadUnaligned(as: UInt32.self)
            )
            let empty = UnsafeBufferPointer<UInt8>(start: nil, count: 0)
            return try withDN(empty, UnsafeBufferPointer(rebasing: storage[(start + 4)..<end]), parent: parent, body)
        }
    }

    /// Calls `body` with `type`, `value`, a comma and the parent numbered `parent` (nothing after `value` for
    /// ``noParent``) written one after the other.
    private func withDN<Result>(
        _ type: UnsafeBufferPointer<UInt8>,
        _ value: UnsafeBufferPointer<UInt8>,
        parent: UInt32,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        guard parent != Self.noParent else {
            guard !type.isEmpty else { return try body(value) }
            return try Self.joined(type, value, parent: nil, body)
        }
        return try parents.withBytes(of: Int(parent)) { try Self.joined(type, value, parent: $0, body) }
    }

    /// Calls `body` with `type`, `value` and, when there is one, a comma and `parent`, written one after the other.
    private static func joined<Result>(
        _ type: UnsafeBufferPointer<UInt8>,
        _ value: UnsafeBufferPointer<UInt8>,
        parent: UnsafeBufferPointer<UInt8>?,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        let rdnCount = type.count + value.count
        let count = rdnCount + (parent.map { 1 + $0.count } ?? 0)
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: count) { buffer in
            _ = UnsafeMutableBufferPointer(rebasing: buffer[..<type.count]).initialize(fromContentsOf: type)
            _ = UnsafeMutableBufferPointer(rebasing: buffer[type.count..<rdnCount]).initialize(fromContentsOf: value)
            if let parent {
                buffer[rdnCount] = ASCIIByte.comma
                _ = UnsafeMutableBufferPointer(rebasing: buffer[(rdnCount + 1)..<count]).initialize(
                    fromContentsOf: parent
                )
            }
            return try body(UnsafeBufferPointer(rebasing: buffer[..<count]))
        }
    }

    /// The run of DN `id` once the index is dropped: the last run starting at or before it.
    private func run(of id: Int32) -> ParentRun {
        let block = Int(id) / Self.runBlock
        var low = Int(blockRuns[block])
        var high = block + 1 < blockRuns.count ? Int(blockRuns[block + 1]) + 1 : parentRuns.count
        while high - low > 1 {
            let middle = (low + high) / 2
            if parentRuns[middle].first <= id { low = middle } else { high = middle }
        }
        return parentRuns[low]
    }

    private func matches(_ number: Int, parent: UInt32, rdn: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = number == 0 ? 0 : Int(ends[number - 1])
        guard Int(ends[number]) - start == 4 + rdn.count else { return false }
        return storage.withUnsafeBufferPointer { storage in
            let base = storage.baseAddress! + start
            guard UInt32(littleEndian: UnsafeRawPointer(base).loadUnaligned(as: UInt32.self)) == parent else {
                return false
            }
            guard let rdnBase = rdn.baseAddress else { return true }
            return memcmp(base + 4, rdnBase, rdn.count) == 0
        }
    }

    private mutating func grow() {
        let old = slots
        slots = [UInt64](repeating: 0, count: old.count + old.count / 2)
        for entry in old where entry != 0 {
            var slot = Self.firstSlot(entry >> 32, of: slots.count)
            while slots[slot] != 0 { slot = slot + 1 == slots.count ? 0 : slot + 1 }
            slots[slot] = entry
        }
    }

    /// Where a DN with this 32-bit hash starts probing among `count` slots: the hash scaled to `0..<count`.
    private static func firstSlot(_ hash: UInt64, of count: Int) -> Int {
        Int(truncatingIfNeeded: (hash &* UInt64(count)) >> 32)
    }

    /// 32 bits of a hash of the parent number and the RDN: multiply-and-rotate over 8-byte words, then MurmurHash3's
    /// final mix. Every match is confirmed byte for byte, so colliding DNs slow a read down and never change it.
    private static func hash(parent: UInt32, rdn: UnsafeBufferPointer<UInt8>) -> UInt64 {
        let multiplier: UInt64 = 0x9E37_79B9_7F4A_7C15
        var state = (seed ^ UInt64(parent) << 32 ^ UInt64(rdn.count)) &* multiplier
        if let base = rdn.baseAddress.map(UnsafeRawPointer.init) {
            var offset = 0
            while offset + 8 <= rdn.count {
                state = (state ^ base.loadUnaligned(fromByteOffset: offset, as: UInt64.self)) &* multiplier
                state = state << 29 | state >> 35
                offset += 8
            }
            if offset < rdn.count {
                var tail: UInt64 = 0
                for index in offset..<rdn.count { tail = tail << 8 | UInt64(rdn[index]) }
                state = (state ^ tail) &* multiplier
            }
        }
        state ^= state >> 33
        state &*= 0xFF51_AFD7_ED55_8CCD
        state ^= state >> 33
        state &*= 0xC4CE_B9FE_1A85_EC53
        state ^= state >> 33
        return state >> 32
    }

    private static let seed = UInt64.random(in: .min ... .max)

    /// Where the first RDN of a normalised DN ends: its first `,` that no `\` escapes.
    private static func firstRDNEnd(_ dn: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < dn.count {
            switch dn[index] {
            case ASCIIByte.backslash: index += 2
            case ASCIIByte.comma: return index
            default: index += 1
            }
        }
        return dn.count
    }
}
