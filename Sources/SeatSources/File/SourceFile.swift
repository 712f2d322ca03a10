package import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Reads a source file in chunks and proves that what was read is one whole version of it.
///
/// Files are replaced under a running daemon. A reader that sees half of an old file and half of a new
/// one would under-count seats, so the file's identity (device, inode, size, mtime, ctime) is taken before the
/// first byte and compared after the last one, both on the open descriptor and on the path.
package struct SourceFile: Sendable {
    package let settings: SourceSettings

    /// The size of the chunks handed to the reader; large enough that per-chunk overhead vanishes.
    static let chunkSize = 1 << 20

    /// How far in the future a file's mtime may be before `max_age` refuses it as clock skew: NFS servers and
    /// copies from other hosts are often a few seconds ahead, but a file hours ahead would never grow stale.
    package static let clockSkewAllowance: Duration = .seconds(5 * 60)

    package init(settings: SourceSettings) {
        self.settings = settings
    }

    /// Streams the file's bytes to `consume`, chunk by chunk, then checks the file did not change.
    /// - Parameters:
    ///   - now: the time `max_age` is measured against.
    ///   - consume: called with each chunk in order; the buffer is only valid during the call.
    /// - Returns: the number of bytes read.
    /// - Throws: ``SourceFileError`` for file-level problems, or whatever `consume` throws.
    @discardableResult
    package func stream(now: Date, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try checkedRead(now: now) { file, _ in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            var total = 0
            while true {
                let count = try nextBytes(of: file, into: buffer)
                if count == 0 { return total }
                total += count
                try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
        }
    }

    /// Reads the whole file into memory, with the same checks as ``stream(now:_:)``; for small formats only.
    ///
    /// The bytes are read into one array of the size `fstat` gave: grown chunk by chunk, a 13 MB snapshot was
    /// copied and faulted in several times over, a tenth of reading it. A file of ``halvingSize`` or more is read
    /// in two halves at once, the second on another thread: most of a read is the kernel's first write to each
    /// fresh page of the array, which each core does for its half.
    package func readAll(now: Date) throws -> [UInt8] {
        var bytes: [UInt8] = []
        _ = try checkedRead(now: now) { file, size in
            bytes = try readWhole(file, size: size)
            return bytes.count
        }
        return bytes
    }

    /// Reads the open `file`, of `size` bytes when it was opened, into one array.
    private func readWhole(_ file: borrowing RegularFile, size: Int) throws -> [UInt8] {
        // One byte more than the size: a file that grew reads past it, and the check after the read refuses it.
        try [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            let buffer = UnsafeMutableRawBufferPointer(buffer)
            HugePages.advise(buffer)
            let halves = size >= Self.halvingSize ? [0..<size / 2, size / 2..<buffer.count] : [0..<buffer.count]
            let target = UncheckedBuffer(buffer: buffer)
            let descriptor = file.descriptor
            let reads = [Result<Int, SourceFileError>](concurrently: halves.count) { half in
                Result { () throws(SourceFileError) in try fill(target.buffer, halves[half], from: descriptor) }
            }
            // A first half cut short leaves a hole before the second: count only what was read without one.
            for (half, read) in zip(halves, reads) {
                let read = try read.get()
                count += read
                if read < half.count { break }
            }
        }
    }

    /// Maps the whole file and calls `body` with its bytes (see ``FileMapping``), then checks that the file did not
    /// change while `body` read them: a mapping shows the file as it is at each moment, so the check comes after
    /// the last byte is used, and wins over what `body` threw. A file that cannot be mapped is read into memory.
    /// - Returns: what `body` returns; nothing `body` makes may keep the bytes.
    /// - Throws: ``SourceFileError`` for file-level problems, or whatever `body` throws.
    package func withText<Result>(now: Date, _ body: (SourceText) throws -> Result) throws -> Result {
        let file = try RegularFile(openingForReading: settings.path)
        let before = try identity(ofDescriptor: file.descriptor)
        try checkAge(before, now: now)
        guard let mapping = FileMapping.map(descriptor: file.descriptor, length: before.size) else {
            let bytes = try readWhole(file, size: before.size)
            let result = Swift.Result { try body(.bytes(bytes)) }
            try checkUnchanged(file, since: before, read: bytes.count)
            return try result.get()
        }
        let result = Swift.Result { try body(.mapped(mapping)) }
        try checkUnchanged(file, since: before, read: before.size)
        if mapping.wasCut {
            throw SourceFileError.readFailed(file: settings.path, reason: "the kernel could not read all of its pages")
        }
        return try result.get()
    }

    /// The size from which ``readAll(now:)`` reads a file in two halves.
    package static let halvingSize = 4 << 20

    /// Reads the bytes at `range` of the file into the same range of `buffer`, up to the end of the file.
    /// - Returns: how many bytes were read, fewer than `range.count` when the file ended first.
    private func fill(
        _ buffer: UnsafeMutableRawBufferPointer,
        _ range: Range<Int>,
        from descriptor: Int32
    ) throws(SourceFileError) -> Int {
        var offset = range.lowerBound
        while offset < range.upperBound {
            let count = pread(descriptor, buffer.baseAddress! + offset, range.upperBound - offset, off_t(offset))
            if count == 0 { break }
            if count > 0 {
                offset += count
            } else if errno != EINTR {
                throw .readFailed(file: settings.path, reason: RegularFile.errnoText())
            }
        }
        return offset - range.lowerBound
    }

    /// The array being read into, handed to the thread that reads its second half.
    ///
    /// `@unchecked Sendable`: each thread writes its own half, and the array is used only after both are done.
    private struct UncheckedBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer
    }

    /// Opens the file, checks its age, calls `body` with the open file and its size to read it, then checks that
    /// the file did not change while `body` read the number of bytes it returns.
    private func checkedRead(now: Date, _ body: (borrowing RegularFile, Int) throws -> Int) throws -> Int {
        let file = try RegularFile(openingForReading: settings.path)
        let before = try identity(ofDescriptor: file.descriptor)
        try checkAge(before, now: now)
        let total = try body(file, before.size)
        try checkUnchanged(file, since: before, read: total)
        return total
    }

    /// Refuses a file that `max_age` calls stale, or whose mtime is too far in the future to ever grow stale.
    private func checkAge(_ before: FileIdentity, now: Date) throws {
        guard let maxAge = settings.maxAge else { return }
        let age = now.timeIntervalSince(before.modified)
        if -age > Self.clockSkewAllowance.timeInterval {
            throw SourceFileError.modifiedInFuture(file: settings.path, modified: before.modified, now: now)
        }
        if age > maxAge.timeInterval {
            throw SourceFileError.stale(file: settings.path, modified: before.modified, maxAge: maxAge)
        }
    }

    /// Refuses the read when the open file is no longer what it was `before`, when the path names another file
    /// now, or when fewer or more bytes than its size were read.
    private func checkUnchanged(_ file: borrowing RegularFile, since before: FileIdentity, read total: Int) throws {
        let after = try identity(ofDescriptor: file.descriptor)
        var pathStat = stat()
        let renamed = stat(settings.path, &pathStat) != 0 || FileIdentity(pathStat) != after
        guard after == before, total == before.size, !renamed else {
            throw SourceFileError.changedWhileReading(file: settings.path)
        }
    }

    /// Reads what `file` has next into `buffer`; 0 at the end of the file.
    private func nextBytes(of file: borrowing RegularFile, into buffer: UnsafeMutableRawBufferPointer) throws -> Int {
        while true {
            let count = read(file.descriptor, buffer.baseAddress, buffer.count)
            if count >= 0 { return count }
            if errno != EINTR {
                throw SourceFileError.readFailed(file: settings.path, reason: RegularFile.errnoText())
            }
        }
    }

    private func identity(ofDescriptor fd: Int32) throws -> FileIdentity {
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            throw SourceFileError.readFailed(file: settings.path, reason: RegularFile.errnoText())
        }
        return FileIdentity(info)
    }
}

/// The facts that change when a file is rewritten or replaced.
///
/// The mtime alone is not enough: `cp -p` and `rsync --inplace -t` rewrite a file in place and then set its mtime
/// back, so a same-size rewrite during a read would look like the untouched file. The ctime records every change,
/// including that of the mtime, and no writer can set it back.
private struct FileIdentity: Equatable {
    var device: UInt64
    var inode: UInt64
    var size: Int
    var modifiedSeconds: Int
    var modifiedNanoseconds: Int
    var changedSeconds: Int
    var changedNanoseconds: Int

    init(_ info: stat) {
        device = UInt64(info.st_dev)
        inode = UInt64(info.st_ino)
        size = Int(info.st_size)
        modifiedSeconds = Int(info.st_mtim.tv_sec)
        modifiedNanoseconds = Int(info.st_mtim.tv_nsec)
        changedSeconds = Int(info.st_ctim.tv_sec)
        changedNanoseconds = Int(info.st_ctim.tv_nsec)
    }

    var modified: Date {
        Date(timeIntervalSince1970: Double(modifiedSeconds) + Double(modifiedNanoseconds) / 1e9)
    }
}
