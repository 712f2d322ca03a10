/// Gives every distinct normalised DN a small number and keeps its bytes once.
///
/// Member lists hold these numbers instead of strings: a million member values cost four bytes each, and looking
/// up a DN that is already known allocates nothing.
struct DNTable {
    private var table = ByteStringTable(capacity: 1024)

    var count: Int { table.count }

    /// The number of `dn`, which must already be normalised; a DN seen for the first time gets the next number.
    mutating func id(of dn: UnsafeBufferPointer<UInt8>) -> Int32 {
        Int32(table.insert(dn).number)
    }

    /// The normalised DN numbered `id`.
    func dn(_ id: Int32) -> String {
        table.string(Int(id))
    }

    /// Calls `body` with the bytes of the normalised DN numbered `id`; they are valid only during the call.
    func withBytes<Result>(of id: Int32, _ body: (UnsafeBufferPointer<UInt8>) throws -> Result) rethrows -> Result {
        try table.withBytes(of: Int(id), body)
    }
}
