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
struct DNTable {
    /// Per DN, the number of its parent in `parents` (4 bytes, ``noParent`` for a DN of one RDN), then its first RDN.
    private var table = ByteStringTable(capacity: 1024)
    /// The parents of the DNs in `table`, whole.
    private var parents = ByteStringTable()
    /// The parent of the DN numbered last, and its number: consecutive member values usually share it.
    private var lastParent: [UInt8] = []
    private var lastParentNumber: UInt32?
    private var key: [UInt8] = []

    private static let noParent = UInt32.max

    var count: Int { table.count }

    /// The number of `dn`, which must already be normalised; a DN seen for the first time gets the next number.
    mutating func id(of dn: UnsafeBufferPointer<UInt8>) -> Int32 {
        let rdnEnd = Self.firstRDNEnd(dn)
        var parent = Self.noParent
        if rdnEnd < dn.count {
            let rest = UnsafeBufferPointer(rebasing: dn[(rdnEnd + 1)...])
            if let number = lastParentNumber, Self.equal(lastParent, rest) {
                parent = number
            } else {
                parent = UInt32(parents.insert(rest).number)
                lastParent.removeAll(keepingCapacity: true)
                lastParent.append(contentsOf: rest)
                lastParentNumber = parent
            }
        }
        key.removeAll(keepingCapacity: true)
        withUnsafeBytes(of: parent.littleEndian) { key.append(contentsOf: $0) }
        key.append(contentsOf: dn[..<rdnEnd])
        return key.withUnsafeBufferPointer { Int32(table.insert($0).number) }
    }

    /// The normalised DN numbered `id`.
    func dn(_ id: Int32) -> String {
        withBytes(of: id) { String(decoding: $0, as: UTF8.self) }
    }

    /// Calls `body` with the bytes of the normalised DN numbered `id`; they are valid only during the call.
    func withBytes<Result>(of id: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try table.withBytes(of: Int(id)) { key in
            let rdn = UnsafeBufferPointer(rebasing: key[4...])
            let parent = UInt32(littleEndian: UnsafeRawBufferPointer(key).loadUnaligned(as: UInt32.self))
            guard parent != Self.noParent else { return try body(rdn) }
            return try parents.withBytes(of: Int(parent)) { rest in
                try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: rdn.count + 1 + rest.count) { buffer in
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[..<rdn.count]).initialize(from: rdn)
                    buffer[rdn.count] = LDIFByte.comma
                    _ = UnsafeMutableBufferPointer(rebasing: buffer[(rdn.count + 1)...]).initialize(from: rest)
                    return try body(UnsafeBufferPointer(buffer))
                }
            }
        }
    }

    private static func equal(_ bytes: [UInt8], _ other: UnsafeBufferPointer<UInt8>) -> Bool {
        guard bytes.count == other.count else { return false }
        guard let otherBase = other.baseAddress, !other.isEmpty else { return true }
        return bytes.withUnsafeBufferPointer { memcmp($0.baseAddress!, otherBase, other.count) == 0 }
    }

    /// Where the first RDN of a normalised DN ends: its first `,` that no `\` escapes.
    private static func firstRDNEnd(_ dn: UnsafeBufferPointer<UInt8>) -> Int {
        var index = 0
        while index < dn.count {
            switch dn[index] {
            case LDIFByte.backslash: index += 2
            case LDIFByte.comma: return index
            default: index += 1
            }
        }
        return dn.count
    }
}
