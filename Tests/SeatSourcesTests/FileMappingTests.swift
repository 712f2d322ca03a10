import Foundation
import TestSupport
import Testing

@testable import SeatSources

/// A snapshot read through a mapping of its file (`FileMapping`, `SourceFile.withText`): the bytes are the file's,
/// a file cut short under the mapping reads zeros instead of killing the process with SIGBUS, and any change while
/// the bytes are used refuses the read, whatever the reader made of them.
///
/// Serialized: one test takes every guarded slot, and the others require a mapping.
@Suite(.serialized) struct FileMappingTests {
    /// Input: a file of 3 MiB and 17 bytes, each byte its offset's low bits. Expected: `withText` hands over a
    /// mapping holding exactly those bytes.
    @Test func handsOverTheFileMapped() throws {
        let dir = try TemporaryDirectory()
        let bytes = [UInt8]((0..<(3 * 1_048_576 + 17)).map { UInt8(truncatingIfNeeded: $0) })
        let path = try dir.write("snapshot.json", bytes: bytes)
        let read = try SourceFile(settings: SourceSettings(name: "t", path: path)).withText(now: Date()) { text in
            guard case .mapped = text else { return [UInt8]() }
            return text.withBytes { Array($0) }
        }
        #expect(read == bytes)
    }

    /// Input: a file of three pages of "A", mapped, then truncated to 100 bytes, and a byte of its third page
    /// read. Expected: the process lives; the byte, and now the first byte too, read as 0, and the mapping says it
    /// was cut. Without the SIGBUS handler the test process dies here.
    @Test func aFileCutShortUnderItsMappingReadsZerosAndSaysSo() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("snapshot.json", bytes: [UInt8](repeating: 65, count: 3 * 4096))
        let file = try RegularFile(openingForReading: path)
        let mapping = try #require(FileMapping.map(descriptor: file.descriptor, length: 3 * 4096))
        #expect(mapping.bytes[2 * 4096 + 5] == 65)
        #expect(!mapping.wasCut)
        #expect(truncate(path, 100) == 0)
        #expect(mapping.bytes[2 * 4096 + 5] == 0)
        #expect(mapping.wasCut)
        #expect(mapping.bytes[0] == 0)
    }

    /// Input: while the reader walks the mapped file, it is rewritten the way `cp` does it: truncated, then
    /// written shorter. The reader then reads every byte and returns their sum. Expected: `changedWhileReading`.
    @Test func refusesAFileTruncatedAndRewrittenWhileItIsRead() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("snapshot.json", bytes: [UInt8](repeating: 65, count: 64 * 4096))
        expectChangedWhileReadingText(path) { text in
            let handle = try FileHandle(forWritingTo: URL(fileURLWithPath: path))
            try handle.truncate(atOffset: 0)
            try handle.write(contentsOf: Data("{}".utf8))
            try handle.close()
            return text.withBytes { $0.reduce(0) { $0 &+ Int($1) } }
        }
    }

    /// Input: the reader throws an error of its own (as a parser would at the zeros of a cut file) after the file
    /// was truncated under it. Expected: `changedWhileReading`, not the reader's error, which was about other bytes.
    @Test func aChangeWinsOverWhatTheReaderThrew() throws {
        struct ReaderError: Error {}
        let dir = try TemporaryDirectory()
        let path = try dir.write("snapshot.json", bytes: [UInt8](repeating: 65, count: 8 * 4096))
        expectChangedWhileReadingText(path) { text -> Int in
            #expect(truncate(path, 10) == 0)
            _ = text.withBytes { $0[5 * 4096] }
            throw ReaderError()
        }
    }

    /// Input: a file renamed over (a new inode at the path) while the reader walks the mapping. Expected: the
    /// reader still sees the old file whole, and the read is refused as changed.
    @Test func refusesAFileReplacedWhileItIsRead() throws {
        let dir = try TemporaryDirectory()
        let old = [UInt8](repeating: 65, count: 2 * 1_048_576)
        let path = try dir.write("snapshot.json", bytes: old)
        let replacement = try dir.write("snapshot.json.tmp", bytes: [UInt8](repeating: 66, count: 10))
        expectChangedWhileReadingText(path) { text in
            #expect(rename(replacement, path) == 0)
            #expect(text.withBytes { Array($0) } == old)
            return 0
        }
    }

    /// Input: while the reader walks the mapping, the file is rewritten in place with other bytes of the same size
    /// and its mtime is set back (`cp -p`, `rsync --inplace -t`). Expected: `changedWhileReading`, told by the ctime.
    @Test func refusesASameSizeRewriteInPlaceWhoseMtimeIsSetBack() throws {
        let dir = try TemporaryDirectory()
        let size = 2 * 1_048_576
        let (path, original) = try settledFile(in: dir, named: "snapshot.json", size: size)
        expectChangedWhileReadingText(path) { _ in
            try rewriteInPlaceKeepingTheMtime(path, with: [UInt8](repeating: 66, count: size), mtime: original)
            return 0
        }
    }

    /// Input: every guarded mapping slot taken, then a file of 5 bytes read with `withText`; also an empty file
    /// (which has nothing to map). Expected: both read into memory, with their bytes.
    @Test func readsIntoMemoryWhenTheFileCannotBeMapped() throws {
        let dir = try TemporaryDirectory()
        let path = try dir.write("snapshot.json", "{\"a\"}")
        let empty = try dir.write("empty.json", "")
        let file = try RegularFile(openingForReading: path)
        var held: [FileMapping] = []
        while let mapping = FileMapping.map(descriptor: file.descriptor, length: 5) {
            held.append(mapping)
            try #require(held.count <= 1000)
        }
        for source in [path, empty] {
            let read = try SourceFile(settings: SourceSettings(name: "t", path: source)).withText(now: Date()) { text in
                guard case .bytes(let bytes) = text else { return [UInt8]?.none }
                return bytes
            }
            #expect(read == (source == path ? Array("{\"a\"}".utf8) : []))
        }
        withExtendedLifetime(held) {}
    }
}

/// Reads `path` with `withText`, handing the text to `reader`, and requires the read to end in
/// `changedWhileReading` naming the file.
private func expectChangedWhileReadingText(
    _ path: String,
    reader: (SourceText) throws -> Int,
    sourceLocation: SourceLocation = #_sourceLocation
) {
    let file = SourceFile(settings: SourceSettings(name: "t", path: path))
    #expect(throws: SourceFileError.changedWhileReading(file: path), sourceLocation: sourceLocation) {
        try file.withText(now: Date()) { text in try reader(text) }
    }
}
