import CommetFake
import Foundation
import TestSupport
import Testing

/// Passes that cost what changed: `--changed-only` (the daemon's passes) reads the customers whose sources
/// changed, those with unfinished business, and a rotating slice of the rest; every customer is still read at
/// least once per `schedule.full_resync`.
struct IncrementalPassEndToEndTests {
    /// Twelve customers of one editor each; interval 5m and full_resync 1h make the slice one customer a pass.
    static let customers = (1...12).map { String(format: "c%02d", $0) }
    static let schedule = "  interval: 5m\n  full_resync: 1h"

    static func converged() async throws -> ReconcileSetup {
        let setup = try ReconcileSetup(
            customers: Dictionary(uniqueKeysWithValues: customers.map { ($0, ["editor": 1]) }),
            schedule: schedule
        )
        try setup.writeUsers(Dictionary(uniqueKeysWithValues: customers.map { ($0, ["editor": 1]) }))
        let first = try await setup.pass(["--changed-only"])
        #expect(first.status == 0)
        #expect(summary(first)?.contains(" full=true ") == true, "a first pass (no state yet) reads everyone")
        setup.fake.resetLedger()
        return setup
    }

    static func summary(_ run: SeatSyncBinary.Run) -> Substring? {
        run.stderr.split(separator: "\n").first { $0.contains("msg=\"pass finished\"") }
    }

    static func reads(_ setup: ReconcileSetup) -> [String] {
        setup.fake.ledger.filter { $0.route == .balances }.compactMap(\.customerID)
    }

    @Test func aQuietPassMakesOnlyTheSlicesReadsAndTheSliceRotates() async throws {
        // Input: the twelve customers converged; two quiet --changed-only passes.
        // Expected: each reads exactly one customer (a different one each time) and writes nothing; the summary
        // says 1 in its turn, 11 not read.
        let setup = try await Self.converged()
        defer { setup.fake.stop() }
        var seen: [String] = []
        for _ in 0..<2 {
            let run = try await setup.pass(["--changed-only"])
            #expect(run.status == 0)
            #expect(Self.summary(run)?.contains(" not_read=11 ") == true)
            #expect(Self.summary(run)?.contains(" read_slice=1 ") == true)
            #expect(run.stdout.contains("read 0 changed, 0 due, 1 in their turn; 11 not read (confirmed "))
            seen += Self.reads(setup)
            #expect(setup.writes.isEmpty)
            setup.fake.resetLedger()
        }
        #expect(seen.count == 2 && Set(seen).count == 2, "\(seen)")
    }

    @Test func aSourceChangeReachesCommetForExactlyTheChangedCustomersInTheNextPass() async throws {
        // Input: converged; users.csv then gives c03 and c07 two editors each.
        // Expected: the next --changed-only pass reads c03 and c07 and the slice's one (reads run concurrently;
        // ReadSelectionTests has the order) and writes exactly c03 and c07.
        let setup = try await Self.converged()
        defer { setup.fake.stop() }
        var users = Dictionary(uniqueKeysWithValues: Self.customers.map { ($0, ["editor": 1]) })
        users["c03"] = ["editor": 2]
        users["c07"] = ["editor": 2]
        try setup.writeUsers(users)
        let run = try await setup.pass(["--changed-only"])
        #expect(run.status == 0)
        #expect(Set(Self.reads(setup)).isSuperset(of: ["c03", "c07"]))
        #expect(Self.reads(setup).count == 3)
        #expect(setup.writes.compactMap(\.customerID).sorted() == ["c03", "c07"])
        #expect(Self.summary(run)?.contains(" read_changed=2 ") == true)
    }

    @Test func aDashboardEditOnAnUnchangedCustomerIsCorrectedWithinFullResync() async throws {
        // Input: converged; a dashboard edit takes c09's editor away (1 -> 0); its sources do not change.
        // Expected: within 12 --changed-only passes (one full_resync of 1h at a 5m interval) a pass reads c09
        // and writes it back to 1; no other customer is written.
        let setup = try await Self.converged()
        defer { setup.fake.stop() }
        setup.fake.setBalance(customer: "c09", feature: "editor", count: 0)
        var passes = 0
        while setup.fake.balances(of: "c09") != ["editor": 1], passes < 12 {
            let run = try await setup.pass(["--changed-only"])
            #expect(run.status == 0)
            passes += 1
        }
        #expect(setup.fake.balances(of: "c09") == ["editor": 1], "not corrected within \(passes) passes")
        #expect(setup.writes.compactMap(\.customerID) == ["c09"])
    }

    @Test func aCrashBetweenPassesOrAConfigChangeFallsBackToAFullPassApplyingNothingTwice() async throws {
        // Input: converged; users.csv gives every customer two editors; the pass writing them is killed
        // (SIGKILL) as Commet applies its first write. Then a --changed-only pass; then the config file changes
        // (a policy key added) and another --changed-only pass runs; then only the rate limit changes.
        // Expected: the pass after the crash is full (its state was saved before the writes, not after) and
        // writes each remaining customer once: every customer ends at 2 with exactly one applied write each.
        // The pass after the config change is full too, and writes nothing; one after a rate-limit change (which
        // only paces requests) is not full.
        let setup = try await Self.converged()
        defer { setup.fake.stop() }
        try setup.writeUsers(Dictionary(uniqueKeysWithValues: Self.customers.map { ($0, ["editor": 2]) }))
        let killer = SignalOnAnswer(SIGKILL, on: setup.fake) { $0.route == .setAll }
        let running = try setup.launchPass(["--changed-only"])
        killer.arm(running.pid)
        #expect(try await running.finish().status == 128 + SIGKILL)

        let after = try await setup.pass(["--changed-only"])
        #expect(after.status == 0, "\(after.stderr)")
        #expect(Self.summary(after)?.contains(" full=true ") == true)
        for customer in Self.customers {
            #expect(setup.fake.balances(of: customer) == ["editor": 2], "\(customer)")
            #expect(setup.writes.filter { $0.customerID == customer && $0.applied && !$0.replayed }.count == 1)
        }

        let text = try String(contentsOfFile: setup.config, encoding: .utf8)
        let policy = text.replacingOccurrences(of: "policy:\n", with: "policy:\n  absent_features: keep\n")
        #expect(policy != text)
        try policy.write(toFile: setup.config, atomically: true, encoding: .utf8)
        setup.fake.resetLedger()
        let changedConfig = try await setup.pass(["--changed-only"])
        #expect(Self.summary(changedConfig)?.contains(" full=true ") == true)
        #expect(Self.reads(setup).count == 12)
        #expect(setup.writes.isEmpty)

        let paced = policy.replacingOccurrences(of: "requests_per_second: 500", with: "requests_per_second: 400")
        #expect(paced != policy)
        try paced.write(toFile: setup.config, atomically: true, encoding: .utf8)
        let changedRate = try await setup.pass(["--changed-only"])
        #expect(Self.summary(changedRate)?.contains(" full=false ") == true)
    }

    @Test func theDaemonsQuietPassesReadOnlyTheirSlice() async throws {
        // Input: the twelve customers converged by a --once pass; then the daemon with interval 300ms and
        // full_resync 1h (the same config but for the schedule, which is not part of its fingerprint).
        // Expected: its first three passes are incremental (full=false), each reading one customer in its turn
        // and leaving eleven unread, three different customers in all, and nothing is written.
        let setup = try ReconcileSetup(
            customers: Dictionary(uniqueKeysWithValues: Self.customers.map { ($0, ["editor": 1]) }),
            schedule: "  interval: 300ms\n  jitter: 0s\n  full_resync: 1h"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(Dictionary(uniqueKeysWithValues: Self.customers.map { ($0, ["editor": 1]) }))
        #expect(try await setup.pass().status == 0)
        setup.fake.resetLedger()

        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass finished", count: 3)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
        let finished = daemon.lines("pass finished").prefix(3)
        #expect(finished.map { $0["full"] } == ["false", "false", "false"])
        #expect(finished.map { $0["read_slice"] } == ["1", "1", "1"])
        #expect(finished.map { $0["not_read"] } == ["11", "11", "11"])
        let reads = Self.reads(setup)
        #expect(Set(reads.prefix(3)).count == 3, "\(reads)")
        #expect(setup.writes.isEmpty)
    }
}
