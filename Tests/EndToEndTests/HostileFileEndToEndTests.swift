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
}
