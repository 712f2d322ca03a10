import CFileMapping

/// The bytes of a source read whole: a file mapped read-only (``FileMapping``), or bytes read into memory.
package enum SourceText: Sendable {
    case bytes([UInt8])
    case mapped(FileMapping)

    var count: Int {
        switch self {
        case .bytes(let bytes): bytes.count
        case .mapped(let mapping): mapping.bytes.count
        }
    }

    /// Calls `body` with the bytes, valid only during the call.
    func withBytes<Result, Failure>(
        _ body: (UnsafeBufferPointer<UInt8>) throws(Failure) -> Result
    ) throws(Failure) -> Result {
        switch self {
        case .bytes(let bytes): try bytes.withUnsafeBufferPointer(body)
        case .mapped(let mapping): try withExtendedLifetime(mapping) { () throws(Failure) in try body(mapping.bytes) }
        }
    }
}

/// A regular file's bytes mapped read-only, unmapped with the value.
///
/// Reading the benchmark's 29 MB pretty-printed snapshot into an array was a quarter of the CPU time of reading it,
/// most of that the kernel zeroing each fresh page of the array before it copied the file's bytes over it. A mapping
/// shows the page cache's own pages. The mapping survives the file shrinking under it (`CFileMapping.h`): the pages past its new end read as
/// zeros and ``wasCut`` turns true, and ``SourceFile/withText(now:_:)`` refuses the read.
///
/// `@unchecked Sendable`: the bytes are only read, and stay mapped for the life of the value.
package final class FileMapping: @unchecked Sendable {
    private let mapping: seat_mapping

    private init(_ mapping: seat_mapping) {
        self.mapping = mapping
    }

    deinit { seat_mapping_close(mapping) }

    /// Maps all `length` bytes of the file open at `descriptor`; `nil` when the file cannot be mapped (a
    /// filesystem without mappings, an empty file, every guarded slot taken), for the caller to read it instead.
    static func map(descriptor: Int32, length: Int) -> FileMapping? {
        var mapping = seat_mapping()
        guard length > 0, seat_mapping_open(descriptor, length, &mapping) == 0 else { return nil }
        return FileMapping(mapping)
    }

    var bytes: UnsafeBufferPointer<UInt8> { UnsafeBufferPointer(start: mapping.bytes, count: mapping.length) }

    /// Whether a read found a page past the end of the file, or one the kernel could not read, and read zeros.
    var wasCut: Bool { seat_mapping_was_cut(mapping) }
}
