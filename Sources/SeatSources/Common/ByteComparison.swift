#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Byte strings compared with `memcmp`.
///
/// The standard `elementsEqual` and `lexicographicallyPrecedes` go byte by byte through the sequence protocols.
/// Where a reader compares once per value they cost percents: checking each LDIF member value's attribute
/// description against the last one that way was 2.6% of the reading thread on the benchmark's group LDIF. The
/// readers compare a member DN's tail, its parent and the smallest unresolved DNs so, once per member.
enum ByteComparison {
    static func equal(_ bytes: UnsafeBufferPointer<UInt8>, _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == other.count else { return false }
        guard let base = bytes.baseAddress, let otherBase = other.baseAddress else { return true }
        return memcmp(base, otherBase, bytes.count) == 0
    }

    static func equal(_ bytes: [UInt8], _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.withUnsafeBufferPointer { equal($0, other) }
    }

    /// Whether `bytes` comes before `other` in byte order (a prefix before what it starts).
    static func precedes(_ bytes: UnsafeBufferPointer<UInt8>, _ other: [UInt8]) -> Bool {
        let common = min(bytes.count, other.count)
        let order = other.withUnsafeBufferPointer { other in
            common == 0 ? 0 : memcmp(bytes.baseAddress!, other.baseAddress!, common)
        }
        return order != 0 ? order < 0 : bytes.count < other.count
    }
}
