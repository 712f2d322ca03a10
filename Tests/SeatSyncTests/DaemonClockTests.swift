import CommetFake
import Foundation
import InMemoryLogging
import Logging
import SeatSync
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// A daemon running in the test process on a ``ManualDaemonClock``, against a fake Commet on 127.0.0.1 and a config
/// and users CSV in a fresh folder; its lines kept in memory, debug ones included.
private final class DaemonRig: Sendable {
    static let key = "ck_test_daemon_clock_Secret_7e6d5c"
    let fake: FakeCommet
    let folder: TemporaryDirectory
    let clock = ManualDaemonClock()
    let logs: InMemoryLogHandler
    let daemon: Daemon

    /// - Parameters:
    ///   - customers: the fake's customers, feature -> balance.
    ///   - users: what users.csv gives each customer: feature -> number of users holding it.
    ///   - schedule: YAML lines under `schedule:`, each indented by two spaces.
    init(customers: [String: [String: Int]], users: [String: [String: Int]], schedule: String) throws {
        fake = try FakeCommet(apiKey: Self.key)
        for (customer, plan) in customers { fake.addCustomer(customer, plan: plan) }
        folder = try TemporaryDirectory()
        var csv = "customer,email,role\n"
        for (customer, features) in users.sorted(by: { $0.key < $1.key }) {
            for (feature, count) in features.sorted(by: { $0.key < $1.key }) {
                for index in 1...count { csv += "\(customer),\(feature)\(index)@\(customer).example,\(feature)\n" }
            }
        }
        try folder.write("users.csv", csv)
        // One customer written at a time, in order; a request the fake holds is never cut off by the client's own
        // timeout (real time) before the daemon's clock cuts off the pass.
        let config = try folder.write(
            "seat-sync.yaml",
            """
            commet:
              base_url: \(fake.baseURL)
              timeout: 1h
              max_retries: 1
              requests_per_second: 500
              concurrency: 1
            schedule:
            \(schedule)
            state_dir: state
            policy:
              role_precedence: [admin, editor, viewer]
            sources:
              - name: hr
                type: csv
                path: users.csv
                columns: {customer: customer, user: email, role: role}
            """
        )
        var handler = InMemoryLogHandler()
        handler.logLevel = .debug
        logs = handler
        let logger = Logger(label: "daemon") { _ in handler }
        let sink = LogSink(fileDescriptor: 2)
        let environment = ["COMMET_API_KEY": Self.key]
        let open: Daemon.SetupLoader = {
            try SyncSetup.open(configPath: config, environment: environment, logger: logger, sink: sink)
        }
        daemon = Daemon(
            setup: try open(),
            environment: [:],
            logger: logger,
            sink: sink,
            clock: clock,
            readsSignals: false,
            reload: open
        )
    }

    /// Runs the daemon until it stops.
    /// - Returns: the task giving its exit status.
    func run() -> Task<Int32, Never> {
        Task { await daemon.run() }
    }

    /// The metadata of the lines with this message, oldest first.
    func lines(_ message: String) -> [[String: String]] {
        logs.entries.filter { $0.message.description == message }.map { $0.metadata.mapValues { "\($0)" } }
    }

    /// The messages logged so far, oldest first.
    var messages: [String] { logs.entries.map(\.message.description) }

    /// Waits until at least `count` lines carry `message`.
    func waitForLines(_ message: String, count: Int = 1) async throws {
        try await poll("\(count) \"\(message)\" line(s)", output: messages.joined(separator: "\n")) {
            lines(message).count >= count
        }
    }

    /// Waits for the daemon to stop: its "stopped" line, logged just before `run` returns.
    /// - Returns: the exit status.
    func exitStatus(_ run: Task<Int32, Never>) async throws -> Int32 {
        try await waitForLines("stopped")
        return await run.value
    }

    /// Stops the daemon as SIGTERM does and waits for its exit status.
    func stop(_ run: Task<Int32, Never>) async throws -> Int32 {
        daemon.receive(SIGTERM)
        return try await exitStatus(run)
    }

    /// The `setAll` requests the fake received, in arrival order; status 0 while one is not answered.
    var writes: [LedgerEntry] { fake.ledger.filter { $0.route == .setAll } }
}

@Suite struct DaemonClockTests {
    @Test func theNextPassStartsOnceTheIntervalHasPassedAndNotBefore() async throws {
        // Input: interval 5m, jitter 0; acme's balance as users.csv says. The clock stands still while the first
        // pass runs, is advanced to 1 ms short of 5m after it, then by the last millisecond.
        // Expected: the startup pass at once; no pass due 1 ms short of the interval; one with trigger "interval"
        // at it, then the next planned 5m later.
        let rig = try DaemonRig(
            customers: ["acme": ["editor": 1]],
            users: ["acme": ["editor": 1]],
            schedule: "  interval: 5m\n  jitter: 0s"
        )
        defer { rig.fake.stop() }
        let run = rig.run()
        try await rig.waitForLines("next pass scheduled")
        #expect(rig.lines("pass due").map { $0["trigger"] } == ["startup"])
        #expect(rig.lines("pass finished").count == 1)

        await rig.clock.advance(by: .seconds(300) - .milliseconds(1))
        #expect(rig.lines("pass due").count == 1)
        await rig.clock.advance(by: .milliseconds(1))
        #expect(rig.lines("pass due").map { $0["trigger"] } == ["startup", "interval"])

        try await rig.waitForLines("next pass scheduled", count: 2)
        #expect(rig.lines("pass finished").count == 2)
        #expect(
            rig.lines("next pass scheduled").map { [$0["in"], $0["trigger"]] } == [
                ["5m", "interval"], ["5m", "interval"],
            ]
        )
        #expect(try await rig.stop(run) == 0)
    }

    @Test func aStopWaitsForThePassUpToTheGraceThenCancelsItAndNoCustomerIsHalfWritten() async throws {
        // Input: a, b and c each need editor 1 -> 2 and viewer 1 -> 2, written one at a time in that order; the fake
        // holds b's setAll for 10 minutes; stop_grace 30s. A stop (as SIGTERM) once b's setAll reached the fake;
        // the clock then advanced to 1 ms short of the grace, then by the last millisecond.
        // Expected: "stopping; waiting for the pass in flight"; 1 ms short of the grace, nothing cancelled and not
        // stopped; at the grace "stop grace over", b's write cut off, the pass cancelled with c not written, exit 0,
        // all while the fake still holds b's setAll; a's balances all new, b's and c's all old, c never sent one.
        let initial = ["editor": 1, "viewer": 1]
        let desired = ["editor": 2, "viewer": 2]
        let customers = ["a", "b", "c"]
        let rig = try DaemonRig(
            customers: Dictionary(uniqueKeysWithValues: customers.map { ($0, initial) }),
            users: Dictionary(uniqueKeysWithValues: customers.map { ($0, desired) }),
            schedule: "  stop_grace: 30s"
        )
        defer { rig.fake.stop() }
        rig.fake.inject([.delay(.seconds(600))], on: .setAll, customer: "b")
        let run = rig.run()
        try await poll("b's setAll to reach the fake") { rig.writes.contains { $0.customerID == "b" } }

        rig.daemon.receive(SIGTERM)
        try await rig.waitForLines("stopping; waiting for the pass in flight")
        #expect(rig.lines("stopping; waiting for the pass in flight").first?["stop_grace"] == "30s")
        await rig.clock.advance(by: .seconds(30) - .milliseconds(1))
        #expect(rig.lines("stop grace over; cancelling the pass in flight").isEmpty)
        #expect(rig.lines("stopped").isEmpty)

        await rig.clock.advance(by: .milliseconds(1))
        #expect(rig.lines("stop grace over; cancelling the pass in flight").count == 1)
        #expect(try await rig.exitStatus(run) == 0)

        #expect(rig.writes.map(\.customerID) == ["a", "b"])
        #expect(rig.writes.map(\.status) == [200, 0], "the daemon waited for the held write")
        #expect(rig.lines("seats written").map { $0["customer"] } == ["a", "a"])
        #expect(rig.lines("seat write failed").map { $0["customer"] } == ["b"])
        #expect(rig.fake.balances(of: "a") == desired)
        for customer in ["b", "c"] { #expect(rig.fake.balances(of: customer) == initial, "\(customer)") }
        #expect(rig.lines("pass cancelled").first?["not_written"] == "1")
        #expect(rig.lines("stopped").first?["exit_code"] == "0")
        let order = ["stop grace over; cancelling the pass in flight", "pass cancelled", "pass finished", "stopped"]
        let positions = order.compactMap { rig.messages.firstIndex(of: $0) }
        #expect(positions.count == order.count && positions == positions.sorted(), "\(rig.messages)")
    }

    @Test func aSecondStopCancelsThePassWithoutWaitingForTheGrace() async throws {
        // Input: a and b each need editor 1 -> 2, written one at a time; the fake holds b's setAll for 10 minutes;
        // stop_grace 1h. A stop (as SIGTERM) once b's setAll reached the fake, then a second one; the clock never
        // moves.
        // Expected: "second stop signal; cancelling the pass in flight" naming SIGTERM, no "stop grace over", b's
        // write cut off, exit 0 while the fake still holds b's setAll; a written, b's balance still 1.
        let rig = try DaemonRig(
            customers: ["a": ["editor": 1], "b": ["editor": 1]],
            users: ["a": ["editor": 2], "b": ["editor": 2]],
            schedule: "  stop_grace: 1h"
        )
        defer { rig.fake.stop() }
        rig.fake.inject([.delay(.seconds(600))], on: .setAll, customer: "b")
        let run = rig.run()
        try await poll("b's setAll to reach the fake") { rig.writes.contains { $0.customerID == "b" } }

        rig.daemon.receive(SIGTERM)
        try await rig.waitForLines("stopping; waiting for the pass in flight")
        #expect(rig.lines("second stop signal; cancelling the pass in flight").isEmpty)
        rig.daemon.receive(SIGTERM)
        #expect(try await rig.exitStatus(run) == 0)

        #expect(rig.lines("second stop signal; cancelling the pass in flight").map { $0["signal"] } == ["SIGTERM"])
        #expect(rig.lines("stop grace over; cancelling the pass in flight").isEmpty)
        #expect(rig.lines("seat write failed").map { $0["customer"] } == ["b"])
        #expect(rig.writes.map(\.status) == [200, 0], "the daemon waited for the held write")
        #expect(rig.fake.balances(of: "a") == ["editor": 2])
        #expect(rig.fake.balances(of: "b") == ["editor": 1])
    }

    @Test func aPassOverItsTimeoutIsCancelledAndLoggedAndTheNextIsScheduled() async throws {
        // Input: pass_timeout 1h, interval 5m, jitter 0; users.csv wants acme's editor 1 -> 2; the fake holds the
        // first balance read for 10 minutes. The clock advanced to 1 ms short of the timeout, then by the last
        // millisecond, then by the interval.
        // Expected: nothing cancelled 1 ms short of the timeout; at it an error line naming schedule.pass_timeout,
        // that pass finished with acme's read failed and nothing written, the next pass planned 5m later; at that
        // instant a pass with trigger "interval" writes acme 1 -> 2.
        let rig = try DaemonRig(
            customers: ["acme": ["editor": 1]],
            users: ["acme": ["editor": 2]],
            schedule: "  interval: 5m\n  jitter: 0s\n  pass_timeout: 1h"
        )
        defer { rig.fake.stop() }
        rig.fake.inject([.delay(.seconds(600))], on: .balances)
        let run = rig.run()
        try await poll("acme's balance read to reach the fake") { rig.fake.ledger.contains { $0.route == .balances } }

        let timedOut = "pass running longer than schedule.pass_timeout; cancelling it"
        await rig.clock.advance(by: .seconds(3600) - .milliseconds(1))
        #expect(rig.lines(timedOut).isEmpty)
        await rig.clock.advance(by: .milliseconds(1))
        #expect(rig.lines(timedOut).map { $0["pass_timeout"] } == ["1h"])

        try await rig.waitForLines("next pass scheduled")
        let first = try #require(rig.lines("pass finished").first)
        #expect([first["failed"], first["changed"]] == ["1", "0"])
        #expect(rig.writes.isEmpty)
        #expect(rig.lines("next pass scheduled").map { [$0["in"], $0["trigger"]] } == [["5m", "interval"]])

        await rig.clock.advance(by: .seconds(300))
        try await rig.waitForLines("pass finished", count: 2)
        #expect(rig.lines("pass due").map { $0["trigger"] } == ["startup", "interval"])
        #expect(rig.lines("pass finished").last?["changed"] == "1")
        #expect(rig.writes.map(\.seats) == [["editor": 2]])
        #expect(rig.fake.balances(of: "acme") == ["editor": 2])
        #expect(try await rig.stop(run) == 0)
    }
}
