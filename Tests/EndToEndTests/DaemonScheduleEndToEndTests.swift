import CommetFake
import Foundation
import Synchronization
import TestSupport
import Testing

/// The most requests the fake ever had in flight at once, seen each time it answers one.
private final class InFlightProbe: Sendable {
    private let most = Mutex(0)

    init(_ fake: FakeCommet) {
        fake.observeRequests { [self] _ in
            // The answered request is recorded before the observer runs; entries still at status 0 are the
            // requests that arrived and are not answered yet.
            let others = fake.ledger.count { $0.status == 0 }
            most.withLock { $0 = max($0, 1 + others) }
        }
    }

    var maximum: Int { most.withLock { $0 } }
}

@Suite struct DaemonScheduleEndToEndTests {
    static let seats = ["acme": ["editor": 1], "globex": ["editor": 2]]

    @Test func passesFollowEachOtherAnIntervalApartAndNeverOverlap() async throws {
        // Input: interval 300ms, jitter 0, full_resync 300ms (so every pass reads every customer); the fake
        // answers every request after 200 ms and customers are read one at a time, so each pass (two reads) takes
        // longer than the interval.
        // Expected: at least four passes; their start and finish lines alternate with matching pass ids; each
        // starts at least the interval after the previous one finished; the fake never has two requests at once.
        let setup = try ReconcileSetup(
            customers: Self.seats,
            concurrency: 1,
            schedule: "  interval: 300ms\n  jitter: 0s\n  full_resync: 300ms",
            latency: .milliseconds(200)
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(Self.seats)
        let probe = InFlightProbe(setup.fake)

        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass finished", count: 4)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        let passes = daemon.log.filter { $0.message == "pass started" || $0.message == "pass finished" }
        for (index, line) in passes.enumerated() {
            #expect(line.message == (index.isMultiple(of: 2) ? "pass started" : "pass finished"), "\(line)")
        }
        for start in stride(from: 0, to: passes.count - 1, by: 2) {
            #expect(passes[start]["pass"] == passes[start + 1]["pass"])
            let seconds = try #require(passes[start + 1]["duration"].flatMap { Double($0.dropLast()) })
            #expect(seconds >= 0.3, "a pass shorter than the interval proves nothing about overlap")
        }
        for finish in stride(from: 1, to: passes.count - 1, by: 2) {
            let gap = try #require(passes[finish + 1].time).timeIntervalSince(try #require(passes[finish].time))
            #expect(gap >= 0.295, "pass \(passes[finish + 1]["pass"] ?? "?") started \(gap) s after the last ended")
        }
        #expect(probe.maximum == 1)
        #expect(daemon.lines("next pass scheduled").allSatisfy { $0["trigger"] == "interval" && $0["in"] == "300ms" })
    }

    @Test func aReplacedSourceFileStartsAPassLongBeforeTheInterval() async throws {
        // Input: interval 1h, debounce 100ms; acme holds 1 editor as users.csv says; after the first pass,
        // users.csv is replaced (temporary file renamed into place) with 2 editors.
        // Expected: a "source file replaced" line naming users.csv, a pass 100 ms later (not in an hour) that
        // writes acme's editor 1 -> 2, and the hour-long wait planned again after it.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1]],
            schedule: "  interval: 1h\n  jitter: 0s\n  debounce: 100ms"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 1]])

        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass finished")
        #expect(setup.writes.isEmpty)
        try setup.replaceUsers(["acme": ["editor": 2]])
        try await daemon.waitForLines("pass finished", count: 2)

        #expect(setup.fake.balances(of: "acme") == ["editor": 2])
        #expect(setup.writes.map(\.seats) == [["editor": 2]])
        #expect(daemon.lines("source file replaced").first?["file"] == setup.folder.path + "/users.csv")
        let planned = daemon.lines("next pass scheduled").map { [$0["trigger"], $0["in"]] }
        #expect(planned.prefix(2) == [["interval", "1h"], ["source changed", "100ms"]])
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func aPassOverItsTimeoutIsCancelledAndTheNextOneRuns() async throws {
        // Input: pass_timeout 1s; the fake holds the first balance read for 20 s; acme needs editor 1 -> 2.
        // Expected: an error line naming schedule.pass_timeout, that pass ends with acme's read failed (cut off,
        // never written), and a later pass writes acme 1 -> 2 (the next one, unless a loaded machine makes it
        // outlast the timeout too: then the one after).
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1]],
            schedule: "  interval: 300ms\n  jitter: 0s\n  pass_timeout: 1s"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 2]])
        setup.fake.inject([.delay(.seconds(20))], on: .balances)

        let daemon = try setup.startDaemon()
        try await daemon.waitUntil("a pass that writes acme") { lines in
            lines.contains { $0.message == "pass finished" && $0["changed"] == "1" }
        }
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)

        let timeout = try #require(daemon.lines("pass running longer than schedule.pass_timeout; cancelling it").first)
        #expect(timeout["pass_timeout"] == "1s")
        let finished = daemon.lines("pass finished")
        #expect(finished.first.map { [$0["failed"], $0["changed"]] } == ["1", "0"])
        #expect(setup.writes.map(\.seats) == [["editor": 2]])
        #expect(setup.fake.balances(of: "acme") == ["editor": 2])
    }
}
