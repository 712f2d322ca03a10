#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Gives every distinct normalised DN a small number and keeps its bytes once.
///
/// Member lists hold these numbers instead of strings: a million member values cost four bytes each, and looking
/// up a DN that is already known allocates nothing.
struct DNTable {
    private var bytes: [UInt8] = []
    /// Entry `id` spans `bytes[ends[id - 1] ..< ends[id]]`.
    private var ends: [Int] = []
    private var hashes: [Int] = []
    /// Open addressing with linear probing; -1 marks an empty slot.
    private var slots = [Int32](repeating: -1, count: 1024)

    var count: Int { ends.count }

    /// The number of `dn`, which must already be normalised; a DN seen for the first time gets the next number.
    mutating func id(of dn: UnsafeBufferPointer<UInt8>) -> Int32 {
        if (ends.count + 1) * 2 > slots.count { grow() }
        let hash = Self.hash(dn)
        let mask = slots.count - 1
        var slot = hash & mask
        while true {
            let id = slots[slot]
            if id < 0 { break }
            if hashes[Int(id)] == hash && matches(Int(id), dn) { return id }
            slot = (slot + 1) & mask
        }
        let id = Int32(ends.count)
        bytes.append(contentsOf: dn)
        ends.append(bytes.count)
        hashes.append(hash)
        slots[slot] = id
        return id
    }

    /// The normalised DN numbered `id`.
    func dn(_ id: Int32) -> String {
        let start = id == 0 ? 0 : ends[Int(id) - 1]
        return String(decoding: bytes[start..<ends[Int(id)]], as: UTF8.self)
    }

    private func matches(_ id: Int, _ dn: UnsafeBufferPointer<UInt8>) -> Bool {
        let start = id == 0 ? 0 : ends[id - 1]
        guard ends[id] - start == dn.count else { return false }
        guard dn.count > 0, let other = dn.baseAddress else { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress! + start, other, dn.count) == 0 }
    }

    private mutating func grow() {
        slots = [Int32](repeating: -1, count: slots.count * 2)
        let mask = slots.count - 1
        for (id, hash) in hashes.enumerated() {
            var slot = hash & mask
            while slots[slot] >= 0 { slot = (slot + 1) & mask }
            slots[slot] = Int32(id)
        }
    }

    private static func hash(_ dn: UnsafeBufferPointer<UInt8>) -> Int {
        var hasher = Hasher()
        hasher.combine(bytes: UnsafeRawBufferPointer(dn))
        return hasher.finalize()
    }
}
