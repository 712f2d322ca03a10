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
/// first byte and compared after the reader is done with the last one, both on the open descriptor and on the
/// path. A change wins over the reader's own error: a reader that met half of a rewritten file, or the zeros of a
/// mapping cut short (``FileMapping``), would otherwise blame a line the file never had.
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
    ///
    /// The chunks are read into one buffer. Mapping them instead (as ``withText(now:_:)`` maps a snapshot) saved
    /// the kernel's copy of every byte, but the reader then met each byte first in memory rather than in cache:
    /// 1% to 4% of reading the benchmark's CSV and LDIF files, not worth a mapping per chunk.
    /// - Parameters:
    ///   - now: the time `max_age` is measured against.
    ///   - consume: called with each chunk in order; the buffer is only valid during the call.
    /// - Returns: the number of bytes read.
    /// - Throws: ``SourceFileError`` for file-level problems, or whatever `consume` throws.
    @discardableResult
    package func stream(now: Date, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        try checkedRead(now: now) { file, _, tally in
            let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
            defer { buffer.deallocate() }
            while true {
                let count = try fill(buffer, from: file.descriptor, at: tally.bytes)
                if count == 0 { return tally.bytes }
                tally.bytes += count
                try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
            }
        }
    }

    /// Reads the whole file into memory, with the same checks as ``stream(now:_:)``; for small files (the config).
    package func readAll(now: Date) throws -> [UInt8] {
        try checkedRead(now: now) { file, size, tally in
            let bytes = try readWhole(file, size: size)
            tally.bytes = bytes.count
            return bytes
        }
    }

    /// Maps the whole file and calls `body` with its bytes (see ``FileMapping``), then checks that the file did not
    /// change while `body` read them: a mapping shows the file as it is at each moment, so the check comes after
    /// the last byte is used. A file that cannot be mapped is read into memory, as ``readAll(now:)`` reads one.
    /// - Returns: what `body` returns; nothing `body` makes may keep the bytes.
    /// - Throws: ``SourceFileError`` for file-level problems, or whatever `body` throws.
    package func withText<Result>(now: Date, _ body: (SourceText) throws -> Result) throws -> Result {
        try checkedRead(now: now) { file, size, tally in
            guard let mapping = FileMapping.map(descriptor: file.descriptor, length: size) else {
                let bytes = try readWhole(file, size: size)
                tally.bytes = bytes.count
                return try body(.bytes(bytes))
            }
            tally.bytes = size
            defer { tally.wasCut = mapping.wasCut }
            return try body(.mapped(mapping))
        }
    }

    /// The size from which a file read whole is read in two halves.
    package static let halvingSize = 4 << 20

    /// Reads the open `file`, of `size` bytes when it was opened, into one array (the config, and a snapshot that
    /// cannot be mapped).
    ///
    /// The bytes are read into one array of the size `fstat` gave: grown chunk by chunk, a 13 MB snapshot was
    /// copied and faulted in several times over, a tenth of reading it. A file of ``halvingSize`` or more is read
    /// in two halves at once, the second on another thread: most of a read is the kernel's first write to each
    /// fresh page of the array, which each core does for its half.
    private func readWhole(_ file: borrowing RegularFile, size: Int) throws -> [UInt8] {
        // One byte more than the size: a file that grew reads past it, and the check after the read refuses it.
        try [UInt8](unsafeUninitializedCapacity: size + 1) { buffer, count in
            let buffer = UnsafeMutableRawBufferPointer(buffer)
            HugePages.advise(buffer)
            let halves = size >= Self.halvingSize ? [0..<size / 2, size / 2..<buffer.count] : [0..<buffer.count]
            let target = UncheckedBuffer(buffer: buffer)
            let descriptor = file.descriptor
            let reads = [Result<Int, SourceFileError>](concurrently: halves.count) { half in
                Result { () throws(SourceFileError) in
                    let range = halves[half]
                    return try fill(.init(rebasing: target.buffer[range]), from: descriptor, at: range.lowerBound)
                }
            }
            // A first half cut short leaves a hole before the second: count only what was read without one.
            for (half, read) in zip(halves, reads) {
                let read = try read.get()
                count += read
                if read < half.count { break }
            }
        }
    }

    /// Reads the file's bytes from `offset` into `buffer`, up to its end or the end of the file.
    /// - Returns: how many bytes were read, fewer than `buffer.count` when the file ended first.
    private func fill(
        _ buffer: UnsafeMutableRawBufferPointer,
        from descriptor: Int32,
        at offset: Int
    ) throws(SourceFileError) -> Int {
        var count = 0
        while count < buffer.count {
            let read = pread(descriptor, buffer.baseAddress! + count, buffer.count - count, off_t(offset + count))
            if read == 0 { break }
            if read > 0 {
                count += read
            } else if errno != EINTR {
                throw .readFailed(file: settings.path, reason: RegularFile.errnoText())
            }
        }
        return count
    }

    /// The array being read into, handed to the thread that reads its second half.
    ///
    /// `@unchecked Sendable`: each thread writes its own half, and the array is used only after both are done.
    private struct UncheckedBuffer: @unchecked Sendable {
        let buffer: UnsafeMutableRawBufferPointer
    }

    /// What a read went through, for the checks after it.
    private struct ReadTally {
        /// How many bytes of the file the reader was handed.
        var bytes = 0
        /// Whether a mapping was cut short under the reader (``FileMapping/wasCut``).
        var wasCut = false
    }

    /// Opens the file, checks its age, and calls `body` with the open file and its size to read it, which keeps
    /// `tally`. Then refuses the read when the file changed (the open file is no longer what it was, or the path
    /// names another), whatever `body` threw, and when `body` succeeded having read other than the file's size.
    private func checkedRead<Value>(
        now: Date,
        _ body: (borrowing RegularFile, Int, inout ReadTally) throws -> Value
    ) throws -> Value {
        let file = try RegularFile(openingForReading: settings.path)
        let before = try identity(ofDescriptor: file.descriptor)
        try checkAge(before, now: now)
        var tally = ReadTally()
        var value: Value?
        var failure: (any Error)?
        do {
            value = try body(file, before.size, &tally)
        } catch {
            failure = error
        }
        let after = try identity(ofDescriptor: file.descriptor)
        var pathStat = stat()
        let renamed = stat(settings.path, &pathStat) != 0 || FileIdentity(pathStat) != after
        guard after == before, !renamed, failure != nil || tally.bytes == before.size else {
            throw SourceFileError.changedWhileReading(file: settings.path)
        }
        if tally.wasCut {
            throw SourceFileError.readFailed(file: settings.path, reason: "the kernel could not read all of its pages")
        }
        if let failure { throw failure }
        return value!
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
