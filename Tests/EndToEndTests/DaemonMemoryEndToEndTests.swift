import CommetFake
import Foundation
import TestSupport
import Testing

@Suite struct DaemonMemoryEndToEndTests {
    @Test func anIdleDaemonGivesBackTheMemoryItsPassRead() async throws {
        // Input: users.csv with 1,000 customers of 400 editors each (400,000 rows, 12 MB), every balance already
        // as the file says; the daemon runs one pass and waits an hour for the next.
        // Expected: the pass writes nothing, and once the next pass is scheduled the daemon's own memory
        // (RssAnon, its heap and stacks; not the pages of its libraries) is under 20 MB. Without handing freed
        // memory back it kept about 35 MB of the pass's tables; with it, about 10 MB.
        let seats = Dictionary(uniqueKeysWithValues: (0..<1000).map { ("c\($0)", ["editor": 400]) })
        let setup = try ReconcileSetup(
            customers: seats,
            requestsPerSecond: 5000,
            concurrency: 16,
            schedule: "  interval: 1h\n  jitter: 0s"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(seats)

        let daemon = try setup.startDaemon()
        // A debug build reads 400,000 rows slowly on a busy machine.
        try await poll("the first pass to be put away", patience: .seconds(180), output: daemon.output) {
            !daemon.lines("next pass scheduled").isEmpty
        }
        #expect(daemon.lines("pass finished").first?["exit_code"] == "0")
        #expect(setup.writes.isEmpty)
        let own = try #require(try Self.kilobytes("RssAnon", ofProcess: daemon.pid))
        #expect(own < 20 * 1024, "the idle daemon holds \(own / 1024) MB of its own")
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    /// A `kB` field of `/proc/<pid>/status`.
    private static func kilobytes(_ field: String, ofProcess pid: Int32) throws -> Int? {
        let status = try String(contentsOfFile: "/proc/\(pid)/status", encoding: .utf8)
        let line = status.split(separator: "\n").first { $0.hasPrefix("\(field):") }
        return line?.split(whereSeparator: { $0 == " " || $0 == "\t" }).dropFirst().first.flatMap { Int($0) }
    }
}
