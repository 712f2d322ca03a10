import CommetFake
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

@Suite struct HostileFileEndToEndTests {
    @Test func aFIFOAsTheSourceIsRefusedAndSIGTERMStillEndsTheDaemonWithExit0() async throws {
        // Input: the daemon with `users.csv` a FIFO that no process ever writes to (before, open() waited for a writer
        // forever and the daemon ignored SIGTERM); then SIGTERM. Expected: the pass aborted with an error naming the
        // file and "not a regular file", no Commet call, and the daemon stopped with exit 0.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1]],
            schedule: "  interval: 1h\n  jitter: 0s\n  stop_grace: 2s"
        )
        defer { setup.fake.stop() }
        let fifo = setup.folder.path + "/users.csv"
        #expect(mkfifo(fifo, 0o600) == 0)
        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass aborted")
        let aborted = try #require(daemon.lines("pass aborted").first)
        #expect(aborted["error"]?.contains("\(fifo): not a regular file") == true, "\(daemon.output)")
        #expect(setup.fake.ledger.isEmpty)

        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        #expect(!daemon.lines("stopped").isEmpty)
    }

    @Test func aSIGBUSNoSnapshotMappingRaisedGoesToTheHandlerBefore() async throws {
        // Input: the daemon with a JSON snapshot source, whose first pass maps the snapshot and so installs the
        // mapping's SIGBUS handler; then SIGBUS sent with kill(2), at no mapping's address.
        // Expected: the mapping's handler hands it to the handler that was there before, the Swift runtime's, which
        // reports the crash ("Program crashed: Bus error"); a handler that kept it would leave no report. The
        // runtime's handler then takes its time, so the test ends the daemon with SIGKILL.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1], "globex": ["editor": 2]],
            sources: "  - {name: hook, type: json, path: seats.json}",
            schedule: "  interval: 1h\n  jitter: 0s"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 1]])
        try setup.folder.write(
            "seats.json",
            """
            {"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z", "sequence": 1,
             "customers": [{"customer": "globex", "counts": {"editor": 2}}]}
            """
        )
        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass finished")
        #expect(daemon.lines("pass finished").first?["exit_code"] == "0", "\(daemon.output)")

        daemon.send(SIGBUS)
        try await daemon.waitForOutput("Program crashed: Bus error")
        daemon.send(SIGKILL)
        #expect(try await daemon.waitForExit() == 128 + SIGKILL)
    }
}
