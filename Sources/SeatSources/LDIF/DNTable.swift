#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives every distinct normalised DN a small number and keeps its bytes once.
///
/// Member lists hold these numbers instead of strings: a million member values cost four bytes each, and looking
/// up a DN that is already known allocates nothing. A lookup is bound by cache misses, so it touches two places
/// only: its slot, which holds part of the hash, and the entry in `arena`, which holds length, number and bytes
/// together.
struct DNTable {
    /// Per entry: its length (4 bytes), its number (4 bytes), its bytes.
    private var arena: [UInt8] = []
    /// The arena offset of each entry, by number.
    private var offsets: [Int] = []
    private var hashes: [Int] = []
    /// Open addressing with linear probing. A slot holds the top 24 bits of its entry's hash above the entry's
    /// arena offset plus one; 0 marks an empty slot.
    private var slots = [UInt64](repeating: 0, count: 1024)

    private static let offsetBits = 40
    private static let offsetMask: UInt64 = (1 << offsetBits) - 1
    private static let headerSize = 8

    var count: Int { offsets.count }

    /// The number of `dn`, which must already be normalised; a DN seen for the first time gets the next number.
    mutating func id(of dn: UnsafeBufferPointer<UInt8>) -> Int32 {
        if (offsets.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(dn)
        let tag = Self.tag(hash)
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let entry = slots[slot]
            if entry == 0 { break }
            if entry & ~Self.offsetMask == tag, let id = match(at: Int(entry & Self.offsetMask) - 1, dn) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(offsets.count)
        let offset = arena.count
        withUnsafeBytes(of: UInt32(dn.count).littleEndian) { arena.append(contentsOf: $0) }
        withUnsafeBytes(of: id.littleEndian) { arena.append(contentsOf: $0) }
        arena.append(contentsOf: dn)
        offsets.append(offset)
        hashes.append(hash)
        slots[slot] = tag | UInt64(offset + 1)
        return id
    }

    /// The normalised DN numbered `id`.
    func dn(_ id: Int32) -> String {
        let offset = offsets[Int(id)]
        return arena.withUnsafeBytes { raw in
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            let start = offset + Self.headerSize
            return String(decoding: raw[start..<(start + length)], as: UTF8.self)
        }
    }

    /// The number of the entry at `offset` if its bytes are `dn`.
    private func match(at offset: Int, _ dn: UnsafeBufferPointer<UInt8>) -> Int32? {
        arena.withUnsafeBytes { raw in
            let length = Int(UInt32(littleEndian: raw.loadUnaligned(fromByteOffset: offset, as: UInt32.self)))
            guard length == dn.count else { return nil }
            if length > 0, memcmp(raw.baseAddress! + offset + Self.headerSize, dn.baseAddress!, length) != 0 {
                return nil
            }
            return Int32(littleEndian: raw.loadUnaligned(fromByteOffset: offset + 4, as: Int32.self))
        }
    }

    private mutating func grow() {
        slots = [UInt64](repeating: 0, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] != 0 { slot = (slot + 1) & mask }
            slots[slot] = Self.tag(hash) | UInt64(offsets[id] + 1)
        }
    }

    private static func tag(_ hash: Int) -> UInt64 {
        UInt64(UInt(bitPattern: hash)) & ~offsetMask
    }

    private static func hash(_ dn: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(dn))
        return hasher.finalize()
    }
}
