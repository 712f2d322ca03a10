import Foundation
import SeatSources
import TestSupport
import Testing

@Suite struct SourceFileTests {
    @Test func streamsEveryByteOfAStableFile() throws {
        let dir = try TemporaryDirectory()
        let bytes = [UInt8]((0..<(3 * 1_048_576 + 17)).map { UInt8(truncatingIfNeeded: $0) })
        let path = try dir.write("big.bin", bytes: bytes)
        let file = SourceFile(settings: SourceSettings(name: "t", path: path))
        #expect(try file.readAll(now: Date()) == bytes)
    }

    /// Input: a file of 9 MiB and 5 bytes, each byte its offset's low bits and a mark at each end and at the
    /// middle, so that halves read into the wrong places or a byte lost where they meet shows. Expected: read whole
    /// in two halves (it is over the size for that), the array is the file's bytes.
    @Test func readsALargeFileInTwoHalvesIntoPlace() throws {
        let dir = try TemporaryDirectory()
        let size = 9 * 1_048_576 + 5
        #expect(size >= SourceFile.halvingSize)
        var bytes = [UInt8]((0..<size).map { UInt8(truncatingIfNeeded: $0 &* 7 &+ $0 >> 12) })
        for offset in [0, size / 2 - 1, size / 2, size - 1] { bytes[offset] = 0xFF }
        let path = try dir.write("big.json", bytes: bytes)
        #expect(try SourceFile(settings: SourceSettings(name: "t", path: path)).readAll(now: Date()) == bytes)
    }

    @Test func refusesAFileReplacedWhileItIsRead() throws {
        // Input: a file that is renamed over (a new inode at the path) between the first and second chunk.
        // Expected: changedWhileReading, naming the file.
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: [UInt8](repeating: 65, count: 2 * 1_048_576))
        let replacement = try dir.write("users.csv.tmp", bytes: [UInt8](repeating: 66, count: 10))
        expectChangedWhileReading(path) { _ = rename(replacement, path) }
    }

    @Test func refusesAFileAppendedToWhileItIsRead() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: [UInt8](repeating: 65, count: 2 * 1_048_576))
        expectChangedWhileReading(path) {
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.seekToEnd()
            try handle.write(contentsOf: Data("x\n".utf8))
            try handle.close()
        }
    }

    /// Input: a file of 2 MiB and 5 bytes rewritten the way `cp` does it (truncated, then written shorter) after
    /// the first chunk, and a reader that throws at the second chunk, as a parser would at the new file's bytes.
    /// Expected: `changedWhileReading`, not the reader's error, which was about a file that no longer exists.
    @Test func aChangeWinsOverWhatTheReaderThrew() throws {
        struct ReaderError: Error {}
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: [UInt8](repeating: 65, count: 2 * 1_048_576 + 5))
        let file = SourceFile(settings: SourceSettings(name: "t", path: path))
        var chunks = 0
        #expect(throws: SourceFileError.changedWhileReading(file: path)) {
            try file.stream(now: Date()) { _ in
                chunks += 1
                guard chunks == 1 else { throw ReaderError() }
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try handle.truncate(atOffset: 0)
                try handle.write(contentsOf: Data([UInt8](repeating: 66, count: 1_048_576 + 9)))
                try handle.close()
            }
        }
        #expect(chunks == 2)
    }

    @Test func refusesAFileOlderThanMaxAge() throws {
        // Input: a file whose mtime is 25 hours before `now`, with max_age 24h. Expected: stale.
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: Array("a\n".utf8))
        let modified = Date(timeIntervalSince1970: 1_800_000_000)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        let file = SourceFile(settings: SourceSettings(name: "t", path: path, maxAge: .seconds(24 * 3600)))
        let error = #expect(throws: SourceFileError.self) {
            try file.readAll(now: modified.addingTimeInterval(25 * 3600))
        }
        guard case .stale(let file, _, _) = error else {
            Issue.record("expected stale, got \(String(describing: error))")
            return
        }
        #expect(file == path)
        #expect(
            try SourceFile(settings: SourceSettings(name: "t", path: path, maxAge: .seconds(24 * 3600)))
                .readAll(now: modified.addingTimeInterval(23 * 3600)) == Array("a\n".utf8)
        )
    }

    @Test func maxAgeKeepsItsFraction() throws {
        // Input: max_age 1500ms; the file read 1.2 s and then 1.6 s after its mtime. Expected: the first read
        // succeeds, the second is stale (a whole-seconds conversion made 1500ms act as 1 s).
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: Array("a\n".utf8))
        let modified = Date(timeIntervalSince1970: 1_800_000_000)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        let file = SourceFile(settings: SourceSettings(name: "t", path: path, maxAge: .milliseconds(1500)))
        #expect(try file.readAll(now: modified.addingTimeInterval(1.2)) == Array("a\n".utf8))
        #expect(throws: SourceFileError.self) { try file.readAll(now: modified.addingTimeInterval(1.6)) }
    }

    @Test func namesAMissingFile() throws {
        let file = SourceFile(settings: SourceSettings(name: "t", path: "/nonexistent/users.csv"))
        let error = #expect(throws: SourceFileError.self) { try file.readAll(now: Date()) }
        #expect(String(describing: error!).hasPrefix("/nonexistent/users.csv: cannot open: No such file"))
    }

    @Test func refusesASameSizeRewriteInPlaceWhoseMtimeIsSetBack() throws {
        // Input: while the first chunk is read, the file is rewritten in place with other bytes of the same size and
        // its mtime is set back (what `cp -p` and `rsync --inplace -t` do). Device, inode, size and mtime all match
        // afterwards; only the ctime tells. Expected: changedWhileReading.
        let dir = try TemporaryDirectory()
        let size = 2 * 1_048_576
        let (path, original) = try settledFile(in: dir, named: "users.csv", size: size)
        expectChangedWhileReading(path) {
            try rewriteInPlaceKeepingTheMtime(path, with: [UInt8](repeating: 66, count: size), mtime: original)
        }
        var now = stat()
        #expect(stat(path, &now) == 0)
        #expect(now.st_size == original.st_size && now.st_ino == original.st_ino)
        #expect(now.st_mtim.tv_sec == original.st_mtim.tv_sec && now.st_mtim.tv_nsec == original.st_mtim.tv_nsec)
    }

    @Test func refusesAFIFOAtOnceAsNotARegularFile() throws {
        // Input: a FIFO that no process writes to as the source (a plain open() would wait for a writer forever, so
        // without the non-blocking open this test hangs). Expected: notARegularFile naming the path.
        let dir = try TemporaryDirectory()
        let path = dir.path + "/users.csv"
        #expect(mkfifo(path, 0o600) == 0)
        let error = #expect(throws: SourceFileError.notARegularFile(file: path)) {
            try SourceFile(settings: SourceSettings(name: "t", path: path)).readAll(now: Date())
        }
        #expect(error.map { "\($0)" } == "\(path): not a regular file")
    }

    @Test func refusesAFileModifiedMoreThanFiveMinutesInTheFutureNamingBothTimes() throws {
        // Input: with max_age 24h, a file whose mtime is an hour after `now`, then one four minutes after it.
        // Expected: the first is refused naming both times (it would otherwise never grow stale); the second is read.
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: Array("a\n".utf8))
        let now = Date(timeIntervalSince1970: 1_800_000_000)
        let file = SourceFile(settings: SourceSettings(name: "t", path: path, maxAge: .seconds(24 * 3600)))

        let modified = now.addingTimeInterval(3600)
        try FileManager.default.setAttributes([.modificationDate: modified], ofItemAtPath: path)
        let error = #expect(throws: SourceFileError.self) { try file.readAll(now: now) }
        #expect(error == .modifiedInFuture(file: path, modified: modified, now: now))
        #expect(
            error.map { "\($0)" }
                == "\(path): last modified 2027-01-15T09:00:00Z, more than 5m after the clock's 2027-01-15T08:00:00Z "
                + "(clock skew?); max_age cannot judge its age"
        )

        try FileManager.default.setAttributes([.modificationDate: now.addingTimeInterval(240)], ofItemAtPath: path)
        #expect(try file.readAll(now: now) == Array("a\n".utf8))
    }
}

/// Streams `path` and runs `change` once, after the first chunk is read, and requires the read to end in
/// `changedWhileReading` naming the file.
private func expectChangedWhileReading(
    _ path: String,
    after change: () throws -> Void,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let file = SourceFile(settings: SourceSettings(name: "t", path: path))
    var changed = false
    #expect(throws: SourceFileError.changedWhileReading(file: path), sourceLocation: sourceLocation) {
        try file.stream(now: Date()) { _ in
            guard !changed else { return }
            changed = true
            try change()
        }
    }
}

/// Overwrites `path` from its first byte without truncating it, then sets its mtime back to that in `mtime`.
func rewriteInPlaceKeepingTheMtime(_ path: String, with bytes: [UInt8], mtime: stat) throws {
    let fd = open(path, O_WRONLY | O_CLOEXEC)
    guard fd >= 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
    defer { close(fd) }
    let written = bytes.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    guard written == bytes.count else { throw POSIXError(.EIO) }
    let times = [mtime.st_atim, mtime.st_mtim]
    guard futimens(fd, times) == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EIO) }
}

/// A file of `size` bytes of "A" in `dir`, and what `stat` says of it once the kernel's coarse clock is past its
/// ctime (``waitUntilTheClockPassesTheChangeTime(of:)``).
func settledFile(in dir: TemporaryDirectory, named name: String, size: Int) throws -> (path: String, info: stat) {
    let path = try dir.write(name, bytes: [UInt8](repeating: 65, count: size))
    var info = stat()
    #expect(stat(path, &info) == 0)
    waitUntilTheClockPassesTheChangeTime(of: info)
    return (path, info)
}

/// Polls until the kernel's coarse clock is past the file's ctime, so that any later change of the file gets a
/// different ctime even where timestamps are only as fine as a clock tick.
private func waitUntilTheClockPassesTheChangeTime(of info: stat) {
    let deadline = Date().addingTimeInterval(30)
    var clock = timespec()
    repeat {
        clock_gettime(CLOCK_REALTIME_COARSE, &clock)
        if clock.tv_sec > info.st_ctim.tv_sec
            || (clock.tv_sec == info.st_ctim.tv_sec && clock.tv_nsec > info.st_ctim.tv_nsec)
        {
            return
        }
    } while Date() < deadline
    Issue.record("the coarse clock did not pass the file's ctime within 30 s")
}
