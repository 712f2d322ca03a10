import CommetFake
import Foundation
import TestSupport
import Testing

@Suite struct DaemonSignalsEndToEndTests {
    @Test func sighupWithABrokenConfigKeepsTheOldOneAndAGoodOneIsTaken() async throws {
        // Input: a daemon on interval 300ms; its config replaced by one with concurrency 0 and a base_url on a
        // closed port, then SIGHUP; then a valid config with interval 1h, then SIGHUP.
        // Expected: an error line naming the file, line and key, the daemon still running and its next passes
        // still reading balances from the fake (the old base_url); then a "config reloaded" line with interval=1h.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]], schedule: "  interval: 300ms\n  jitter: 0s")
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 1]])
        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass finished")

        try setup.folder.write(
            "seat-sync.yaml",
            ReconcileSetup.configText(baseURL: "http://127.0.0.1:1/api/v1", commet: "  concurrency: 0")
        )
        daemon.send(SIGHUP)
        try await daemon.waitForLines("config reload failed; keeping the previous config")
        setup.fake.resetLedger()
        let passesBefore = daemon.lines("pass finished").count
        try await daemon.waitForLines("pass finished", count: passesBefore + 2)
        #expect(daemon.isRunning)
        #expect(setup.fake.ledger.contains { $0.route == .balances && $0.customerID == "acme" })
        let failure = try #require(daemon.lines("config reload failed; keeping the previous config").first)
        #expect(failure["error"] == "\(setup.config):3: commet.concurrency: must be between 1 and 64, found 0")
        #expect(failure["next"] == "passes go on with the previous config; fix the file and reload again")

        try setup.folder.write(
            "seat-sync.yaml",
            ReconcileSetup.configText(baseURL: setup.fake.baseURL, schedule: "  interval: 1h\n  jitter: 0s")
        )
        daemon.send(SIGHUP)
        try await daemon.waitForLines("config reloaded")
        #expect(daemon.lines("config reloaded").first?["interval"] == "1h")
        #expect(daemon.lines("reloading config").count == 2)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test(arguments: [SIGTERM, SIGINT])
    func aStopSignalDuringAPassLetsItFinishThenExits0(signal: Int32) async throws {
        // Input: customers a and b each need editor 1 -> 2 and viewer 1 -> 3, written one at a time; the fake sends
        // the signal as it answers a's setAll and holds b's for 1 s; stop_grace 1h, so however slowly a loaded
        // machine runs the pass, the grace never cuts it off.
        // Expected: "stopping; waiting for the pass in flight" naming the signal, then both writes applied whole
        // and logged, the pass finished, "stopped", exit 0.
        let setup = try ReconcileSetup(
            customers: ["a": ["editor": 1, "viewer": 1], "b": ["editor": 1, "viewer": 1]],
            concurrency: 1,
            schedule: "  stop_grace: 1h"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["a": ["editor": 2, "viewer": 3], "b": ["editor": 2, "viewer": 3]])
        let stopper = SignalOnAnswer(signal, on: setup.fake) { $0.route == .setAll && $0.customerID == "a" }
        setup.fake.inject([.delay(.seconds(1))], on: .setAll, customer: "b")
        let daemon = try setup.startDaemon()
        stopper.arm(daemon.pid)
        #expect(try await daemon.waitForExit() == 0)

        #expect(stopper.hasSignalled)
        for customer in ["a", "b"] { #expect(setup.fake.balances(of: customer) == ["editor": 2, "viewer": 3]) }
        #expect(setup.writes.map(\.customerID) == ["a", "b"])
        #expect(setup.writes.map(\.status) == [200, 200])
        let messages = daemon.log.compactMap(\.message)
        let order = ["stopping; waiting for the pass in flight", "seats written", "pass finished", "stopped"]
        #expect(order.allSatisfy(messages.contains), "\(daemon.output)")
        #expect(
            order.map { messages.lastIndex(of: $0) ?? -1 } == order.map { messages.lastIndex(of: $0) ?? -1 }.sorted()
        )
        #expect(daemon.lines("seats written").count == 4)
        #expect(
            daemon.lines("stopping; waiting for the pass in flight").first?["signal"]
                == (signal == SIGINT ? "SIGINT" : "SIGTERM")
        )
    }

    @Test func sigtermAfterTheGraceCancelsThePassAndNoCustomerIsHalfWritten() async throws {
        // Input: customers a, b and c each need editor 1 -> 2 and viewer 1 -> 2, written one at a time in that
        // order; the fake sends SIGTERM as it answers a's setAll and holds b's for 40 s (15 s was once eaten by a
        // machine loaded with four CPU-bound processes beside the suite); stop_grace 200ms.
        // Expected: exit 0; "stop grace over", then "pass cancelled", then "stopped"; b's write, if it was sent, cut
        // off by the daemon (a failed write, never logged as written); c is never sent a setAll; once the fake has
        // handled every request it received, each customer's balances are all new (its setAll reached Commet, which
        // applies it whole) or all old (never sent), and the customers counted not written are exactly those the
        // fake never saw. (DaemonClockTests check the grace itself, on a clock the test moves.)
        let initial = ["editor": 1, "viewer": 1]
        let desired = ["editor": 2, "viewer": 2]
        let customers = ["a", "b", "c"]
        let setup = try ReconcileSetup(
            customers: Dictionary(uniqueKeysWithValues: customers.map { ($0, initial) }),
            concurrency: 1,
            schedule: "  stop_grace: 200ms"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(Dictionary(uniqueKeysWithValues: customers.map { ($0, desired) }))
        let stopper = SignalOnAnswer(SIGTERM, on: setup.fake) { $0.route == .setAll && $0.customerID == "a" }
        setup.fake.inject([.delay(.seconds(40))], on: .setAll, customer: "b")
        let daemon = try setup.startDaemon()
        stopper.arm(daemon.pid)
        #expect(try await daemon.waitForExit() == 0)

        #expect(daemon.lines("stop grace over; cancelling the pass in flight").count == 1)
        #expect(daemon.lines("stopped").first?["exit_code"] == "0")
        let messages = daemon.log.compactMap(\.message)
        let order = ["stop grace over; cancelling the pass in flight", "pass cancelled", "stopped"]
        let positions = order.compactMap { messages.firstIndex(of: $0) }
        #expect(positions.count == order.count && positions == positions.sorted(), "\(daemon.output)")
        #expect(
            !daemon.lines("seats written").contains { $0["customer"] == "b" },
            "the daemon waited for the held write"
        )
        try await poll("the fake to answer every setAll it received", patience: .seconds(90)) {
            setup.writes.allSatisfy { $0.status != 0 }
        }
        let sent = Set(setup.writes.compactMap(\.customerID))
        if sent.contains("b") {
            #expect(daemon.lines("seat write failed").contains { $0["customer"] == "b" }, "\(daemon.output)")
        }
        #expect(!sent.contains("c"))
        #expect(setup.writes.count == sent.count)
        for customer in customers {
            #expect(setup.fake.balances(of: customer) == (sent.contains(customer) ? desired : initial), "\(customer)")
        }
        #expect(daemon.lines("pass cancelled").first?["not_written"] == "\(customers.count - sent.count)")
    }

    @Test func aSecondInstanceOnTheSameStateIsRefusedButADryRunIsNot() async throws {
        // Input: a running daemon; then, on the same config, a second daemon, a --once run and a --once --dry-run.
        // Expected: the second daemon and the --once run exit 1 naming the lock file and the first daemon's pid;
        // the dry run, which writes nothing, runs and exits 0.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 1]])
        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("daemon started")
        let refusal =
            "\(setup.folder.path)/state/seat-sync.lock: seat-sync pid \(daemon.pid) already runs passes with this "
            + "state directory; refusing to run a second one"

        let binary = try SeatSyncBinary.locate()
        let environment = ["COMMET_API_KEY": ReconcileSetup.key]
        let second = try await binary.run(["--config", setup.config, "--log-format", "json"], environment: environment)
        #expect(second.status == 1)
        let line = try #require(
            second.stderr.split(separator: "\n").map { LogLine(String($0)) }.first { $0.message == "cannot start" }
        )
        #expect(line["error"] == refusal)

        let once = try await setup.pass()
        #expect(once.status == 1)
        #expect(once.stderr == "error: \(refusal)\n")

        #expect(try await setup.pass(["--dry-run"]).status == 0)
        #expect(daemon.isRunning)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }
}
