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

    @Test func refusesAFileReplacedWhileItIsRead() throws {
        // Input: a file that is renamed over (a new inode at the path) between the first and second chunk.
        // Expected: changedWhileReading, naming the file.
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: [UInt8](repeating: 65, count: 2 * 1_048_576))
        let replacement = try dir.write("users.csv.tmp", bytes: [UInt8](repeating: 66, count: 10))
        let file = SourceFile(settings: SourceSettings(name: "t", path: path))
        var chunks = 0
        #expect(throws: SourceFileError.changedWhileReading(file: path)) {
            try file.stream(now: Date()) { _ in
                chunks += 1
                if chunks == 1 { _ = rename(replacement, path) }
            }
        }
    }

    @Test func refusesAFileAppendedToWhileItIsRead() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("users.csv", bytes: [UInt8](repeating: 65, count: 2 * 1_048_576))
        let file = SourceFile(settings: SourceSettings(name: "t", path: path))
        var appended = false
        #expect(throws: SourceFileError.changedWhileReading(file: path)) {
            try file.stream(now: Date()) { _ in
                guard !appended else { return }
                appended = true
                let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
                try handle.seekToEnd()
                try handle.write(contentsOf: Data("x\n".utf8))
                try handle.close()
            }
        }
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

    @Test func namesAMissingFile() throws {
        let file = SourceFile(settings: SourceSettings(name: "t", path: "/nonexistent/users.csv"))
        let error = #expect(throws: SourceFileError.self) { try file.readAll(now: Date()) }
        #expect(String(describing: error!).hasPrefix("/nonexistent/users.csv: cannot open: No such file"))
    }
}
