import Foundation
import SeatSync
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

@Suite struct JournalStreamTests {
    /// `DEV:INODE` of an open descriptor, as systemd writes `JOURNAL_STREAM`.
    private func streamID(_ fileDescriptor: Int32) throws -> String {
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { throw POSIXError(.EBADF) }
        return "\(status.st_dev):\(status.st_ino)"
    }

    @Test func aDescriptorIsTheJournalOnlyWhenItsDeviceAndInodeAreTheOnesNamed() throws {
        // Input: two open files; JOURNAL_STREAM naming the first, the second, nothing, and malformed values.
        // Expected: connected only for the first file's own DEV:INODE.
        let folder = try TemporaryDirectory()
        let first = open(try folder.write("journal", ""), O_WRONLY | O_CLOEXEC)
        let second = open(try folder.write("elsewhere", ""), O_WRONLY | O_CLOEXEC)
        defer {
            close(first)
            close(second)
        }
        let firstID = try streamID(first)
        #expect(JournalStream.isConnected(first, environment: ["JOURNAL_STREAM": firstID]))
        #expect(!JournalStream.isConnected(first, environment: ["JOURNAL_STREAM": try streamID(second)]))
        #expect(!JournalStream.isConnected(first, environment: [:]))
        for malformed in ["", firstID + ":1", "x" + firstID, firstID.replacingOccurrences(of: ":", with: " ")] {
            #expect(!JournalStream.isConnected(first, environment: ["JOURNAL_STREAM": malformed]), "\(malformed)")
        }
    }
}
