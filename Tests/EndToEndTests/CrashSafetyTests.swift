import CommetFake
import Foundation
import Synchronization
import TestSupport
import Testing

/// Sends a signal to a seat-sync process at a known point of its pass: from the fake's own thread, once the fake
/// has handled the first request that `matches` and before the answer goes out. Until the test has named the
/// process, that answer waits, so the process cannot run past the point however slowly the test is scheduled.
final class SignalOnAnswer: Sendable {
    private let signal: Int32
    private let pid = Mutex<Int32?>(nil)
    private let fired = Mutex(false)
    private let armed = DispatchSemaphore(value: 0)
    private let sent = Mutex(false)

    init(_ signal: Int32, on fake: FakeCommet, when matches: @escaping @Sendable (LedgerEntry) -> Bool) {
        self.signal = signal
        fake.observeRequests { [self] entry in
            guard matches(entry),
                !fired.withLock({ fired in
                    defer { fired = true }
                    return fired
                })
            else { return }
            _ = armed.wait(timeout: .now() + 30)
            if let pid = pid.withLock({ $0 }) {
                kill(pid, self.signal)
                sent.withLock { $0 = true }
            }
        }
    }

    /// Whether the signal has gone out.
    var hasSignalled: Bool { sent.withLock { $0 } }

    /// The process to signal, once it is started.
    func arm(_ pid: Int32) {
        self.pid.withLock { $0 = pid }
        armed.signal()
    }
}

@Suite struct CrashSafetyTests {
    @Test func aPassKilledMidApplyIsFinishedByTheNextWithNoChangeAppliedTwice() async throws {
        // Input: six customers each needing one more editor; the fake answers every request after 300 ms and
        // seat-sync handles two customers at once, so the writes go out in three waves. The pass is killed with
        // SIGKILL the moment Commet has applied its first write, before the answer reaches it; then a new pass
        // runs.
        // Expected: one or two writes had arrived (the second of the wave may still land); the second pass exits
        // 0 and writes exactly the customers whose write did not land; every customer ends at its desired count
        // with exactly one applied change in the ledger.
        let customers = Dictionary(uniqueKeysWithValues: (0..<6).map { ("c\($0)", ["editor": 2]) })
        let setup = try ReconcileSetup(customers: customers, concurrency: 2, latency: .milliseconds(300))
        defer { setup.fake.stop() }
        try setup.writeUsers(customers.mapValues { _ in ["editor": 3] })
        let killer = SignalOnAnswer(SIGKILL, on: setup.fake) { $0.route == .setAll }

        let running = try setup.launchPass()
        killer.arm(running.pid)
        let killed = try await running.finish()
        #expect(killed.status == 128 + SIGKILL)
        // The fake carries on with the requests it had taken; wait until each is handled.
        let killedRun = try await KilledRun(setup)
        #expect((1...2).contains(setup.writes.count))
        #expect(!killedRun.landed.isEmpty)

        let next = try await setup.pass()
        #expect(next.status == 0, "\(next.stdout)\n\(next.stderr)")
        killedRun.expectFinishedOnce(setup, customers: customers)
        FaultMatrixTests.expectNoKey(in: killed)
        FaultMatrixTests.expectNoKey(in: next)
    }

    @Test func aDaemonKilledMidApplyIsFinishedByTheRestartedOneWithNoChangeAppliedTwice() async throws {
        // Input: as above, but the daemon runs the pass: it is killed with SIGKILL the moment Commet has applied
        // its first write, then started again on the same state folder (its lock died with it).
        // Expected: the restarted daemon takes the lock, its first pass writes exactly the customers whose write
        // did not land, and every customer ends at its desired count with exactly one applied change.
        let customers = Dictionary(uniqueKeysWithValues: (0..<6).map { ("c\($0)", ["editor": 2]) })
        let setup = try ReconcileSetup(
            customers: customers,
            concurrency: 2,
            schedule: "  interval: 1h\n  jitter: 0s",
            latency: .milliseconds(300)
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(customers.mapValues { _ in ["editor": 3] })
        let killer = SignalOnAnswer(SIGKILL, on: setup.fake) { $0.route == .setAll }

        let first = try setup.startDaemon()
        killer.arm(first.pid)
        #expect(try await first.waitForExit() == 128 + SIGKILL)
        let killedRun = try await KilledRun(setup)
        #expect(!killedRun.landed.isEmpty)

        let restarted = try setup.startDaemon()
        try await restarted.waitForLines("pass finished")
        restarted.send(SIGTERM)
        #expect(try await restarted.waitForExit() == 0)
        #expect(restarted.lines("pass finished").first?["exit_code"] == "0", "\(restarted.output)")
        killedRun.expectFinishedOnce(setup, customers: customers)
        #expect(!first.output.contains(ReconcileSetup.key))
        #expect(!restarted.output.contains(ReconcileSetup.key))
    }

    static let stateFiles: [(name: String, content: String?, warning: String)] = [
        ("missing", nil, "msg=\"no state file; starting fresh\" file=STATE"),
        (
            "cut short", #"{"version": 1, "sequences": {"hook"#,
            "msg=\"state file unusable; starting fresh\" error=\"STATE: not a seat-sync state file: "
        ),
        ("not JSON", "\u{0}\u{0}\u{0}garbage", "msg=\"state file unusable; starting fresh\" error=\"STATE: not a "),
        (
            "a later version", #"{"version": 3, "sequences": {}}"#,
            "msg=\"state file unusable; starting fresh\" error=\"STATE: unknown state version 3\""
        ),
    ]

    @Test(arguments: stateFiles)
    func aMissingOrCorruptStateFileIsSurvivedWithOneWarning(
        name: String,
        content: String?,
        warning: String
    ) async throws {
        // Input: state_dir/state.json missing, or holding the given bytes; acme needs one more editor.
        // Expected: the pass converges (exit 0) with exactly one warning line about the state file, naming it;
        // state.json is then replaced atomically (nothing else left in the folder) by one the next pass loads
        // without a warning.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 2]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 3]])
        let stateFile = setup.folder.path + "/state/state.json"
        if let content {
            try FileManager.default.createDirectory(
                atPath: setup.folder.path + "/state",
                withIntermediateDirectories: true
            )
            try setup.folder.write("state/state.json", content)
        }

        let run = try await setup.pass()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(setup.fake.balances(of: "acme") == ["editor": 3])
        let warnings = run.stderr.split(separator: "\n").filter { $0.contains("level=warning") }
        #expect(warnings.count == 1, "\(run.stderr)")
        #expect(
            warnings.first?.contains(warning.replacingOccurrences(of: "STATE", with: stateFile)) == true,
            "\(warnings)"
        )
        let files = try FileManager.default.contentsOfDirectory(atPath: setup.folder.path + "/state")
        #expect(files.contains("state.json"))
        #expect(!files.contains { $0.hasSuffix(".tmp") }, "\(files)")

        let next = try await setup.pass()
        #expect(next.status == 0)
        #expect(!next.stderr.contains("level=warning"), "\(next.stderr)")
    }
}

extension CrashSafetyTests {
    @Test func aSecondPassWhileOneRunsIsRefusedButADryRunMayLook() async throws {
        // Input: a pass writing two customers, stopped (SIGSTOP) when its first balance read is answered; while it
        // is, a second `--once` with the same state folder, then a `--once --dry-run`; then the first resumes.
        // Expected: the second pass exits 1 at once with one line naming the lock file and the first pass's pid,
        // and sends nothing; the dry run is not refused, reads balances and exits 2; the first pass exits 0
        // having written each customer once. (Two passes at once would both write, and the older one's snapshot and state.json could land
        // last.)
        let customers = ["acme": ["editor": 2], "globex": ["editor": 2]]
        // A stopped pass's requests keep their wall-clock timeout; on a loaded machine the second pass and the
        // dry run took longer than the default 30 s, and the resumed pass read a balance again after its timeout.
        let setup = try ReconcileSetup(customers: customers, commet: "  timeout: 10m", latency: .milliseconds(500))
        defer { setup.fake.stop() }
        try setup.writeUsers(customers.mapValues { _ in ["editor": 3] })

        let stopper = SignalOnAnswer(SIGSTOP, on: setup.fake) { $0.route == .balances }
        let first = try setup.launchPass()
        stopper.arm(first.pid)
        try await poll("the stop signal to go out", patience: .seconds(30)) { stopper.hasSignalled }
        let second = try await setup.pass()
        let dryRun = try await setup.pass(["--dry-run"])
        first.kill(SIGCONT)
        let firstRun = try await first.finish()

        #expect(second.status == 1)
        #expect(second.stdout.isEmpty)
        #expect(
            second.stderr
                == "error: \(setup.folder.path)/state/seat-sync.lock: seat-sync pid \(first.pid) already runs "
                + "passes with this state directory; refusing to run a second one\n"
        )
        #expect(dryRun.status == 2, "\(dryRun.stderr)")
        #expect(firstRun.status == 0, "\(firstRun.stderr)")
        let ledger = setup.fake.ledger
        #expect(ledger.count { $0.route == .balances } == 4)
        #expect(setup.writes.compactMap(\.customerID).sorted() == ["acme", "globex"])
    }
}

/// What a run killed mid-apply left: the customers whose write Commet applied, and how long the ledger was then.
private struct KilledRun {
    let landed: Set<String>
    let ledgerCount: Int

    /// Waits until the fake has answered every request it had taken, then takes stock.
    init(_ setup: ReconcileSetup) async throws {
        try await poll("the fake to answer every request", patience: .seconds(10)) {
            setup.fake.ledger.allSatisfy { $0.status != 0 }
        }
        landed = Set(setup.writes.filter(\.applied).compactMap(\.customerID))
        ledgerCount = setup.fake.ledger.count
    }

    /// Requires the run after the kill to have written exactly the customers whose write had not landed, and
    /// every customer to hold 3 editors from exactly one applied change.
    func expectFinishedOnce(
        _ setup: ReconcileSetup,
        customers: [String: [String: Int]],
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let ledger = setup.fake.ledger
        let rewritten = ledger[ledgerCount...].filter { $0.route == .setAll }.compactMap(\.customerID)
        #expect(
            rewritten.sorted() == Set(customers.keys).subtracting(landed).sorted(),
            sourceLocation: sourceLocation
        )
        for customer in customers.keys {
            #expect(setup.fake.balances(of: customer) == ["editor": 3], "\(customer)", sourceLocation: sourceLocation)
            #expect(
                ledger.count { $0.customerID == customer && $0.applied } == 1,
                "\(customer)",
                sourceLocation: sourceLocation
            )
        }
    }
}
