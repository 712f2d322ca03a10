import CommetFake
import Foundation
import TestSupport
import Testing

/// Decisions that hold across passes: the guard's holds stick until approved, approvals are bound to the set an
/// operator reviewed and reach a running daemon, only decreases can be pending (and not for ever), and the
/// log alone says what is held or pending.
struct HeldDecisionsEndToEndTests {
    @Test func aHeldDecreaseStaysHeldWhileIncreasesRaiseTheTotalAndApproveAppliesExactlyItUnderTheDaemon()
        async throws
    {
        // Input: globex viewer 3 -> 2 is 1 of 8 managed seats (12.5%, over max_removed_fraction 10%); acme grows
        // 1 -> 3, then 4, 5, 6 over three replaced users.csv files, which takes the total past 10 seats, where
        // the same decrease alone would be within the limit. acme also wants 1 admin, a code not on its plan.
        // Expected: four passes, each with held=1 and globex untouched; then `seat-sync approve ID` while the
        // daemon runs (interval 1h, so only the approval can start the next pass) writes globex viewer 2 once.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1], "globex": ["editor": 4, "viewer": 3]],
            schedule: "  interval: 1h\n  jitter: 0s\n  debounce: 100ms",
            topLevel: "metrics:\n  textfile: seat-sync.prom"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 3, "admin": 1], "globex": ["editor": 4, "viewer": 2]])

        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass finished")
        for (index, editors) in [4, 5, 6].enumerated() {
            try setup.replaceUsers(["acme": ["editor": editors, "admin": 1], "globex": ["editor": 4, "viewer": 2]])
            try await daemon.waitForLines("pass finished", count: index + 2)
        }
        #expect(setup.fake.balances(of: "globex") == ["editor": 4, "viewer": 3])
        #expect(setup.fake.balances(of: "acme") == ["editor": 6])
        #expect(setup.writes.allSatisfy { $0.customerID == "acme" })
        let finished = daemon.lines("pass finished")
        #expect(finished.map { $0["held"] } == ["1", "1", "1", "1"])
        #expect(finished.map { $0["warnings"] } == ["1", "1", "1", "1"])
        #expect(finished.allSatisfy { $0["oldest_hold_seconds"] != nil && $0["pending"] == "0" })
        let newlyHeld = daemon.lines("changes held by the guard")
        #expect(newlyHeld.count == 1)
        #expect(newlyHeld.first?["changes"] == "globex/viewer 3->2")
        #expect(newlyHeld.first?["level"] == "error")
        #expect(daemon.lines("changes still held").count == 3)
        let offPlan = daemon.lines("feature code not on the customer's plan; its users are not billed")
        #expect(offPlan.count == 4)
        #expect(offPlan.first.map { [$0["customer"], $0["feature"], $0["unbilled"]] } == ["acme", "admin", "1"])
        let gauges = try String(contentsOfFile: setup.folder.path + "/seat-sync.prom", encoding: .utf8)
        #expect(gauges.contains("\nseat_sync_seats_held 1\n"), "\(gauges)")
        #expect(gauges.contains("\nseat_sync_oldest_hold_age_seconds "), "\(gauges)")

        let id = try await setup.heldSetID()
        #expect(newlyHeld.first?["held_set"] == id)
        #expect(newlyHeld.first?["next"]?.contains("seat-sync approve \(id)") == true)
        let listed = try await setup.command(["held"])
        #expect(listed.stdout.hasPrefix("held set \(id): 1 change\n"))
        #expect(listed.stdout.contains("globex    viewer   3     2   "))
        let approve = try await setup.command(["approve", id])
        #expect(approve.status == 0, "\(approve.stderr)")

        try await daemon.waitForLines("pass finished", count: 5)
        #expect(daemon.lines("approval arrived").count == 1)
        #expect(daemon.lines("approval taken").first?["changes"] == "globex/viewer 3->2")
        #expect(setup.fake.balances(of: "globex") == ["editor": 4, "viewer": 2])
        #expect(setup.writes.filter { $0.customerID == "globex" }.map(\.seats) == [["viewer": 2]])
        #expect(daemon.lines("pass finished").last?["held"] == "0")
        #expect(daemon.isRunning)
        #expect(try await setup.command(["held"]).stdout == "nothing held\n")
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func anApprovalIsBoundToTheSetReviewedAndVoidWhenTheSourcesMovedOn() async throws {
        // Input: globex viewer 30 -> 2 (held); the sources then want 30 -> 1 (a new decision, held anew); an
        // approval of the old set's id; an approval of the new one, after which the sources go back to 2.
        // Expected: the stale id is refused (exit 1, naming both ids); the approval taken is void on the next
        // pass with one log line and nothing of it applied; --allow-decrease=ID then applies exactly the set.
        let setup = try ReconcileSetup(customers: ["globex": ["viewer": 30], "acme": ["editor": 10]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["globex": ["viewer": 2], "acme": ["editor": 10]])
        let held = try await setup.pass()
        #expect(held.status == 3)
        let first = try await setup.heldSetID()
        #expect(
            held.stdout.contains(
                "review with seat-sync held, then apply exactly that set with seat-sync approve \(first)"
            )
        )

        try setup.writeUsers(["globex": ["viewer": 1], "acme": ["editor": 10]])
        #expect(try await setup.pass().status == 3)
        let second = try await setup.heldSetID()
        #expect(second != first)
        let stale = try await setup.command(["approve", first])
        #expect(stale.status == 1)
        #expect(
            stale.stderr
                == "error: the held set is \(second) now, not \(first): it changed since it was reviewed; "
                + "review it again with seat-sync held\n"
        )
        #expect(try await setup.command(["approve", second]).status == 0)

        try setup.writeUsers(["globex": ["viewer": 2], "acme": ["editor": 10]])
        let voided = try await setup.pass()
        #expect(voided.status == 3)
        let voidLines = voided.stderr.split(separator: "\n").filter { $0.contains("msg=\"approval void") }
        #expect(voidLines.count == 1)
        #expect(voidLines.first?.contains("change=\"globex/viewer 30->1\"") == true)
        #expect(setup.writes.isEmpty)
        #expect(setup.fake.balances(of: "globex") == ["viewer": 30])

        let wrongID = try await setup.pass(["--allow-decrease=0000000000000000"])
        #expect(wrongID.status == 1)
        #expect(wrongID.stdout.hasPrefix("pass aborted before any Commet call: the held set is "))
        #expect(setup.writes.isEmpty)

        let third = try await setup.heldSetID()
        let approved = try await setup.pass(["--allow-decrease=\(third)"])
        #expect(approved.status == 0, "\(approved.stderr)")
        #expect(setup.writes.map(\.seats) == [["viewer": 2]])
        #expect(setup.fake.balances(of: "globex") == ["viewer": 2])
    }

    @Test func aBalancePutBackByHandBeforeTheVeryNextPassIsCorrectedByThatPass() async throws {
        // Input: pass 1 writes acme editor 1 -> 3; a dashboard edit puts it back to 1 before pass 2.
        // Expected: pass 2 writes editor 3 again under a new key (an increase is never "pending"); exit 0.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 3]])
        #expect(try await setup.pass().status == 0)
        setup.fake.setBalance(customer: "acme", feature: "editor", count: 1)

        let second = try await setup.pass()
        #expect(second.status == 0)
        #expect(setup.fake.balances(of: "acme") == ["editor": 3])
        let writes = setup.writes
        #expect(writes.map(\.seats) == [["editor": 3], ["editor": 3]])
        #expect(Set(writes.compactMap(\.idempotencyKey)).count == 2)
        #expect(writes.allSatisfy { $0.applied && !$0.replayed })
        #expect(second.stdout.contains("drift, written again"))
        #expect(!second.stdout.contains("pending in Commet"))
    }

    @Test func aDeferredDecreaseIsPendingWithItsAgeThenSentExactlyOnceMoreAfterPendingTimeout() async throws {
        // Input: Commet defers acme's decreases (they apply at renewal); editor 10 -> 8 is within the limits
        // set here; policy.pending_timeout is the default 24h. After the first pending pass, state.json's record
        // of the write is aged by 25 hours (the clock a real day would move).
        // Expected: pass 1 writes; pass 2 reads only, reports the line pending with its age; pass 3 sends it
        // once more with a warning naming how long it was pending; pass 4 is pending again, no write.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 10]],
            policy: "  guard:\n    max_removed_fraction: 0.5"
        )
        defer { setup.fake.stop() }
        setup.fake.deferDecreases(for: "acme")
        try setup.writeUsers(["acme": ["editor": 8]])
        #expect(try await setup.pass().status == 0)
        #expect(setup.writes.count == 1)

        let pending = try await setup.pass()
        #expect(pending.status == 0)
        #expect(setup.writes.count == 1)
        #expect(pending.stdout.contains("  editor        10        8     -2  Commet accepted 8 "))
        #expect(pending.stdout.contains(" ago but still shows 10 (a removal applies at the end of the billing period)"))
        let summary = pending.stderr.split(separator: "\n").first { $0.contains("msg=\"pass finished\"") }
        #expect(summary?.contains(" pending=1 ") == true)
        #expect(summary?.contains(" oldest_pending_seconds=") == true)

        try ageAcceptedWrites(in: setup.stateFolder + "/state.json", by: 25 * 3600)
        let resent = try await setup.pass()
        #expect(resent.status == 0)
        #expect(setup.writes.map(\.seats) == [["editor": 8], ["editor": 8]])
        #expect(Set(setup.writes.compactMap(\.idempotencyKey)).count == 2)
        let warning = resent.stderr.split(separator: "\n").first {
            $0.contains("msg=\"pending decrease sent once more\"")
        }
        #expect(warning?.contains("pending_for=1d1h") == true)

        let after = try await setup.pass()
        #expect(after.status == 0)
        #expect(setup.writes.count == 2)
        #expect(after.stdout.contains("Commet accepted 8 1d1h"))
    }

    @Test func commetRefusingTheKeyEndsThePassWithOneLineNamingWhereTheKeyCameFrom() async throws {
        // Input: three customers; the API key in the environment is not the one the fake accepts (401).
        // Expected: exit 1, one error line naming COMMET_API_KEY as the key's origin, no per-customer lines,
        // no write.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1], "globex": ["editor": 1], "initech": [:]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 2], "globex": ["editor": 2], "initech": ["editor": 2]])
        let run = try await SeatSyncBinary.locate().run(
            ["--once", "--config", setup.config],
            environment: ["COMMET_API_KEY": "ck_test_not_the_right_key_at_all"]
        )
        #expect(run.status == 1)
        let errors = FaultMatrixTests.errorLines(in: run.stderr)
        #expect(errors.count == 1, "\(run.stderr)")
        #expect(
            errors.first?.contains("Commet refused the API key read from environment COMMET_API_KEY (HTTP 401") == true
        )
        #expect(!run.stderr.contains("balance read failed"))
        #expect(setup.writes.isEmpty)
    }

    @Test func aCustomerCommetDoesNotKnowPointsAtTheCustomersMapping() async throws {
        // Input: users.csv names customer "ghost", which Commet does not know (404 customer_not_found).
        // Expected: its read fails with a hint naming the customers: mapping; acme is still written.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 2], "ghost": ["editor": 1]])
        let run = try await setup.pass()
        #expect(run.status == 1)
        let line = run.stderr.split(separator: "\n").first { $0.contains("msg=\"balance read failed\"") }
        #expect(line?.contains("customer=ghost") == true)
        #expect(line?.contains("hint=\"Commet has no customer ghost: check the customers: mapping") == true)
        #expect(setup.fake.balances(of: "acme") == ["editor": 2])
    }
}

/// Moves every accepted write in a state file `seconds` into the past, as if that much time had gone by.
func ageAcceptedWrites(in path: String, by seconds: TimeInterval) throws {
    let data = try Data(contentsOf: URL(fileURLWithPath: path))
    guard var state = try JSONSerialization.jsonObject(with: data) as? [String: Any],
        var lastPass = state["last_pass"] as? [String: Any],
        let accepted = lastPass["accepted"] as? [[String: Any]]
    else { throw CocoaError(.fileReadCorruptFile) }
    let format = Date.ISO8601FormatStyle(includingFractionalSeconds: true)
    lastPass["accepted"] = try accepted.map { entry in
        var entry = entry
        for key in ["accepted_at", "sent_at"] {
            guard let text = entry[key] as? String else { continue }
            entry[key] = try Date(text, strategy: format).addingTimeInterval(-seconds).formatted(format)
        }
        return entry
    }
    state["last_pass"] = lastPass
    try JSONSerialization.data(withJSONObject: state).write(to: URL(fileURLWithPath: path))
}

/// One Commet customer named twice by the sources would get two plans, each undoing the other every pass.
struct CustomerNamesEndToEndTests {
    @Test func aCustomerNamedByItsExternalIDAndItsCommetIDIsRefusedNamingBoth() async throws {
        // Input: pass 1 writes acme; Commet's answer names the customer by its own id, cus_9. Then users.csv
        // names both "acme" and "cus_9".
        // Expected: pass 2 exits 1 before any Commet call, naming both ids and cus_9.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 2]])
        let event = """
            {"object": "seat_event", "id": "evt_1", "customerId": "cus_9", "featureCode": "editor", \
            "previousBalance": 1, "newBalance": 2, "ts": "2026-12-03T10:00:00Z", \
            "createdAt": "2026-12-03T10:00:00Z", "livemode": false}
            """
        setup.fake.inject(
            [
                .json(
                    200,
                    body: #"{"success": true, "data": {"object": "list", "data": [\#(event)], "hasMore": false}}"#
                )
            ],
            on: .setAll,
            customer: "acme"
        )
        #expect(try await setup.pass().status == 0)

        try setup.writeUsers(["acme": ["editor": 2], "cus_9": ["editor": 1]])
        setup.fake.resetLedger()
        let run = try await setup.pass()
        #expect(run.status == 1)
        #expect(
            run.stdout.hasPrefix(
                "pass aborted before any Commet call: customers \"acme\" and \"cus_9\" are one Commet customer, cus_9"
            )
        )
        #expect(setup.fake.ledger.isEmpty)
    }
}

/// Over-billing is as real as under-billing: counts no customer has are refused, large jumps are held.
struct IncreaseLimitsEndToEndTests {
    @Test func aCountAboveTheCeilingIsAnInputErrorAndALargeJumpIsHeld() async throws {
        // Input: (1) a pre-counted row acme,editor,2147483647; (2) then 120 (acme at 10 more than doubles, by
        // more than 50 seats) while globex grows 5 -> 7.
        // Expected: (1) exit 1 before any Commet call, naming the file, its line and max_seats_per_customer;
        // (2) exit 3: globex written, acme's increase held with an error line, until `--allow-increase`.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 10], "globex": ["editor": 5]],
            sources: """
                  - name: licences
                    type: csv
                    path: counts.csv
                    columns: {customer: customer, feature: feature, count: count}
                """
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["globex": ["editor": 7]])
        try setup.folder.write("counts.csv", "customer,feature,count\nacme,editor,2147483647\n")
        let refused = try await setup.pass()
        #expect(refused.status == 1)
        #expect(refused.stdout.contains("counts.csv:2"))
        #expect(refused.stdout.contains("over policy.max_seats_per_customer 1000000"))
        #expect(setup.fake.ledger.isEmpty)

        try setup.folder.write("counts.csv", "customer,feature,count\nacme,editor,120\n")
        let held = try await setup.pass()
        #expect(held.status == 3)
        #expect(setup.writes.map(\.customerID) == ["globex"])
        let line = held.stderr.split(separator: "\n").first { $0.contains("msg=\"changes held by the guard\"") }
        #expect(line?.contains("changes=\"acme/editor 10->120\"") == true)
        #expect(
            line?.contains("customer acme gains 110 seats on 10, over max_customer_added_fraction 100%") == true
        )
        #expect(try await setup.pass(["--allow-increase"]).status == 0)
        #expect(setup.fake.balances(of: "acme") == ["editor": 120])
    }
}
