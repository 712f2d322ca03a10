import CommetFake
import Foundation
import TestSupport
import Testing

@Suite struct ReconcileEndToEndTests {
    /// acme needs two more editors; globex is in sync.
    static let balances = ["acme": ["editor": 3, "viewer": 10], "globex": ["editor": 2, "viewer": 1]]
    static let desired = ["acme": ["editor": 5, "viewer": 10], "globex": ["editor": 2, "viewer": 1]]

    @Test func dryRunSendsNoWriteAndPrintsTheExactPlan() async throws {
        // Input: acme 3 -> 5 editors, globex in sync; `--once --dry-run`.
        // Expected: exit 2, the plan table for acme only, one balance read per customer, no write, no state file.
        let setup = try ReconcileSetup(customers: Self.balances)
        defer { setup.fake.stop() }
        try setup.writeUsers(Self.desired)

        let run = try await setup.pass(["--dry-run"])
        #expect(run.status == 2)
        #expect(
            run.stdout == """
                acme: would write 1 code
                  feature  current  desired  delta  reason
                  editor         3        5     +2  5 users (hr)
                  viewer        10       10      0  in sync; 10 users (hr)

                2 customers: 1 in sync, 1 to change, 0 failed, 0 held, 0 pending; seats +2 -0 (dry run: nothing written)

                """
        )
        #expect(setup.fake.ledger.map(\.route) == [.balances, .balances])
        #expect(setup.fake.balances(of: "acme") == ["editor": 3, "viewer": 10])
        #expect(!FileManager.default.fileExists(atPath: setup.folder.path + "/state/state.json"))
        #expect(run.stderr.contains("msg=\"pass finished\""))
        #expect(!(run.stdout + run.stderr).contains(ReconcileSetup.key))
    }

    @Test func applyThenASecondPassSendsNoWrite() async throws {
        // Input: the same data; two real passes.
        // Expected: the first exits 0 after one setAll naming only acme's editor, logged with its request id;
        // the second reads balances only, writes nothing and exits 0 with everyone in sync.
        let setup = try ReconcileSetup(customers: Self.balances)
        defer { setup.fake.stop() }
        try setup.writeUsers(Self.desired)

        let first = try await setup.pass()
        #expect(first.status == 0)
        #expect(setup.writes.map(\.customerID) == ["acme"])
        #expect(setup.writes.map(\.seats) == [["editor": 5]])
        #expect(setup.fake.balances(of: "acme") == ["editor": 5, "viewer": 10])
        let requestID = try #require(setup.writes.first?.requestID)
        #expect(
            first.stderr.contains(
                "msg=\"seats written\" customer=acme feature=editor from=3 pass="
            )
        )
        #expect(first.stderr.contains("request_id=\(requestID) to=5"))
        #expect(first.stdout.hasPrefix("acme: wrote 1 code (request \(requestID))\n"))

        setup.fake.resetLedger()
        let second = try await setup.pass()
        #expect(second.status == 0)
        #expect(setup.fake.ledger.map(\.route) == [.balances, .balances])
        #expect(second.stdout == "2 customers: 2 in sync, 0 changed, 0 failed, 0 held, 0 pending; seats +0 -0\n")
        let summary = try #require(second.stderr.split(separator: "\n").first { $0.contains("msg=\"pass finished\"") })
        #expect(summary.contains("level=info msg=\"pass finished\" changed=0 customers=2 dry_run=false duration="))
        for field in [
            "exit_code=0", "failed=0", "full=true", "held=0", "in_sync=2", "not_read=0", "oldest_hold_seconds=0",
            "oldest_pending_seconds=0", "pending=0", "seats_added=0", "seats_removed=0", "warnings=0",
        ] {
            #expect(summary.contains(" \(field)"), "\(field)")
        }
        #expect(second.stderr.split(separator: "\n").first?.contains("msg=\"pass started\"") == true)
    }

    @Test func driftIsCorrectedWithANewKeyEvenBackToTheValueSeenBeforeTheEarlierWrite() async throws {
        // Input: apply acme editor 3 -> 5, a converged pass, then a dashboard edit back to exactly 3, a pass,
        // then drift to 4, a pass.
        // Expected: each correction is a new setAll with a key never used before, applied (not Commet's replay
        // of the first write, which had the very same customer, observed balances and desired map).
        let setup = try ReconcileSetup(customers: Self.balances)
        defer { setup.fake.stop() }
        try setup.writeUsers(Self.desired)

        #expect(try await setup.pass().status == 0)
        #expect(try await setup.pass().status == 0)
        #expect(setup.writes.count == 1)
        setup.fake.setBalance(customer: "acme", feature: "editor", count: 3)
        #expect(try await setup.pass().status == 0)
        #expect(setup.fake.balances(of: "acme") == ["editor": 5, "viewer": 10])
        setup.fake.setBalance(customer: "acme", feature: "editor", count: 4)
        #expect(try await setup.pass().status == 0)
        #expect(setup.fake.balances(of: "acme") == ["editor": 5, "viewer": 10])

        let writes = setup.writes
        #expect(writes.count == 3)
        #expect(writes.map(\.seats) == Array(repeating: ["editor": 5], count: 3))
        #expect(Set(writes.compactMap(\.idempotencyKey)).count == 3)
        #expect(writes.allSatisfy { $0.applied && !$0.replayed && $0.status == 200 })
    }

    @Test func aWriteCommetAcceptedButDoesNotShowIsPendingNotRewritten() async throws {
        // Input: acme's decreases apply only at renewal (the fake defers them); desired editor 10 -> 8.
        // Expected: the first pass writes once; the next two passes see 10 still, read balances and nothing else,
        // report the line pending in the plan and the summary line (exit 0); when the desired count changes to 7,
        // the next pass writes again.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 10]])
        defer { setup.fake.stop() }
        setup.fake.deferDecreases(for: "acme")
        try setup.writeUsers(["acme": ["editor": 8]])

        #expect(try await setup.pass(["--allow-decrease"]).status == 0)
        #expect(setup.writes.count == 1)
        #expect(setup.writes.first?.applied == true)
        var later: [SeatSyncBinary.Run] = []
        for _ in 0..<2 {
            setup.fake.resetLedger()
            later.append(try await setup.pass(["--allow-decrease"]))
            #expect(setup.fake.ledger.map(\.route) == [.balances])
        }
        #expect(setup.fake.balances(of: "acme") == ["editor": 10])
        for run in later {
            #expect(run.status == 0)
            let summary = run.stderr.split(separator: "\n").first { $0.contains("msg=\"pass finished\"") }
            #expect(summary?.contains(" pending=1 ") == true)
            #expect(run.stdout.hasPrefix("acme: no write; changes pending in Commet\n"))
            #expect(run.stdout.contains("  editor        10        8     -2  Commet accepted 8 "))
            #expect(
                run.stdout.hasSuffix("\n1 customer: 0 in sync, 0 changed, 0 failed, 0 held, 1 pending; seats +0 -0\n")
            )
        }
        try setup.writeUsers(["acme": ["editor": 7]])
        setup.fake.resetLedger()
        #expect(try await setup.pass(["--allow-decrease"]).status == 0)
        #expect(setup.writes.map(\.seats) == [["editor": 7]])
    }

    @Test(arguments: [
        ("keep", [[String: Int]](), ["editor": 3, "legacy": 4]),
        ("zero", [["legacy": 0]], ["editor": 3, "legacy": 0]),
    ])
    func absentFeatures(policy: String, expectedWrites: [[String: Int]], expectedBalances: [String: Int]) async throws {
        // Input: acme has editor 3 and legacy 4 in Commet; the sources only know editor (3).
        // Expected: keep leaves legacy alone (no write); zero sets legacy to 0 in one setAll.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 3, "legacy": 4]],
            policy: "  absent_features: \(policy)"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 3]])

        let run = try await setup.pass(["--allow-decrease"])
        #expect(run.status == 0)
        #expect(setup.writes.map(\.seats) == expectedWrites)
        #expect(setup.fake.balances(of: "acme") == expectedBalances)
    }

    @Test func aFeatureNotOnTheCustomersPlanIsReportedAndLeftOut() async throws {
        // Input: the sources give acme 2 editors and 1 admin; admin exists in Commet but is not on acme's plan.
        // Expected: exit 0; one setAll naming editor only; the plan shows admin as not on the plan.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]])
        defer { setup.fake.stop() }
        setup.fake.addOrganizationFeatures(["admin"])
        try setup.writeUsers(["acme": ["editor": 2, "admin": 1]])

        let run = try await setup.pass()
        #expect(run.status == 0)
        #expect(setup.writes.map(\.seats) == [["editor": 2]])
        let requestID = try #require(setup.writes.first?.requestID)
        #expect(
            run.stdout == """
                acme: wrote 1 code (request \(requestID)); codes not on the plan
                  feature  current  desired  delta  reason
                  admin          -        1      -  not on the customer's plan; left out of the write (1 user (hr))
                  editor         1        2     +1  2 users (hr)

                1 customer: 0 in sync, 1 changed, 0 failed, 0 held, 0 pending; seats +1 -0

                """
        )
    }

    @Test func unknownAndUnsubscribedCustomersFailAloneAndTheOthersConverge() async throws {
        // Input: sources name acme (needs 2 editors), ghost (unknown to Commet) and lapsed (no active subscription).
        // Expected: exit 1; acme converged; one error line per failed customer saying what happens next.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]])
        defer { setup.fake.stop() }
        setup.fake.addCustomer("lapsed", plan: ["editor": 1], subscribed: false)
        try setup.writeUsers(["acme": ["editor": 2], "ghost": ["editor": 1], "lapsed": ["editor": 1]])

        let run = try await setup.pass()
        #expect(run.status == 1)
        #expect(setup.fake.balances(of: "acme") == ["editor": 2])
        #expect(setup.writes.map(\.customerID) == ["acme"])
        for (customer, code) in [("ghost", "customer_not_found"), ("lapsed", "no_active_subscription")] {
            let line = try #require(
                run.stderr.split(separator: "\n").first {
                    $0.contains("msg=\"balance read failed\" customer=\(customer)")
                }
            )
            #expect(line.contains("level=error"))
            #expect(line.contains(code))
            #expect(line.contains("next=\"skipped until next pass\""))
            #expect(run.stdout.contains("\(customer): FAILED reading balances: "))
        }
        #expect(run.stdout.hasSuffix("3 customers: 0 in sync, 1 changed, 2 failed, 0 held, 0 pending; seats +1 -0\n"))
    }

    @Test func theGuardHoldsAnEightyPercentDropAndAllowDecreaseAppliesIt() async throws {
        // Input: acme drops from 50+50 to 10+10 seats (80%), globex grows 10 -> 12.
        // Expected: exit 3; globex's increase applied, acme untouched; an error line saying what was held and how
        // to approve it. Then `--allow-decrease`: exit 0 and acme at 10+10.
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 50, "viewer": 50], "globex": ["editor": 10]])
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 10, "viewer": 10], "globex": ["editor": 12]])

        let held = try await setup.pass()
        #expect(held.status == 3)
        #expect(setup.writes.map(\.customerID) == ["globex"])
        #expect(setup.fake.balances(of: "acme") == ["editor": 50, "viewer": 50])
        #expect(setup.fake.balances(of: "globex") == ["editor": 12])
        let line = try #require(held.stderr.split(separator: "\n").first { $0.contains("changes held by the guard") })
        #expect(line.contains("level=error"))
        #expect(line.contains("held_seats=80"))
        #expect(line.contains("removes 80 of 110 managed seats (72.7%), over max_removed_fraction 10%"))
        #expect(line.contains("seat-sync --once --allow-decrease="))
        #expect(held.stdout.contains("  editor        50       10    -40  held by the guard; 10 users (hr)\n"))

        let approved = try await setup.pass(["--allow-decrease"])
        #expect(approved.status == 0)
        #expect(setup.writes.map(\.seats).last == ["editor": 10, "viewer": 10])
        #expect(setup.fake.balances(of: "acme") == ["editor": 10, "viewer": 10])
    }

    @Test func aSourceErrorAbortsThePassBeforeAnyCommetCall() async throws {
        // Input: users.csv ends inside a quoted field. Expected: exit 1, the file:line:column error on stdout and
        // stderr, and not one request to Commet.
        let setup = try ReconcileSetup(customers: Self.balances)
        defer { setup.fake.stop() }
        try setup.folder.write(
            "users.csv",
            "customer,email,role\nacme,a@acme.example,editor\nacme,\"b@acme.example,editor\n"
        )

        let run = try await setup.pass()
        #expect(run.status == 1)
        #expect(setup.fake.ledger.isEmpty)
        let path = setup.folder.path + "/users.csv"
        #expect(run.stdout.hasPrefix("pass aborted before any Commet call: \(path):3:6: "))
        #expect(run.stderr.contains("msg=\"pass aborted\""))
    }

    @Test func jsonOutputCarriesThePlanAndTheExitCode() async throws {
        // Input: the dry-run data with `--output json`. Expected: exit 2 and the documented document on stdout.
        let setup = try ReconcileSetup(customers: Self.balances)
        defer { setup.fake.stop() }
        try setup.writeUsers(Self.desired)

        let run = try await setup.pass(["--dry-run", "--output", "json"])
        #expect(run.status == 2)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "seat-sync-plan")
        #expect(document["exit_code"] as? Int == 2)
        #expect(document["dry_run"] as? Bool == true)
        let customers = try #require(document["customers"] as? [[String: Any]])
        #expect(customers.map { $0["outcome"] as? String } == ["planned", "no_write"])
        let lines = try #require(customers.first?["lines"] as? [[String: Any]])
        #expect(lines.map { $0["status"] as? String } == ["increase", "in_sync"])
        #expect(lines.first?["delta"] as? Int == 2)
    }

    @Test(arguments: [["--dry-run"], ["--allow-decrease"], ["--output", "json"]])
    func oneShotOptionsWithoutOnceAreRefused(options: [String]) async throws {
        // Input: `seat-sync --config ... <option>` without --once: the daemon, which never dry-runs and never
        // approves decreases for good. Expected: usage error (exit 64) saying to add --once; no Commet call.
        let setup = try ReconcileSetup(customers: Self.balances)
        defer { setup.fake.stop() }
        let run = try await SeatSyncBinary.locate().run(
            ["--config", setup.config] + options,
            environment: ["COMMET_API_KEY": ReconcileSetup.key]
        )
        #expect(run.status == 64)
        #expect(
            run.stderr.hasPrefix(
                "Error: --dry-run, --allow-decrease, --allow-increase, --changed-only and --output only apply to one pass: add --once"
            )
        )
        #expect(setup.fake.ledger.isEmpty)
    }
}

extension ReconcileEndToEndTests {
    /// A seat-snapshot file counting globex's editors, with the given sequence number.
    static func snapshot(sequence: Int, editors: Int) -> String {
        """
        {"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z", "sequence": \(sequence),
         "customers": [{"customer": "globex", "counts": {"editor": \(editors)}}]}
        """
    }

    @Test func aSnapshotOlderThanTheLastAppliedOneIsRefusedBeforeAnyCommetCall() async throws {
        // Input: a JSON snapshot source; sequence 7 applied by a real pass, then a dry run of sequence 5 and a
        // real pass of sequence 6.
        // Expected: the real pass records 7 in state.json; both later passes are refused as replays naming both
        // sequences: exit 1, not one request to Commet, globex left at what sequence 7 said.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1], "globex": ["editor": 2]],
            sources: "  - {name: hook, type: json, path: seats.json}"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 1]])
        try setup.folder.write("seats.json", Self.snapshot(sequence: 7, editors: 3))

        #expect(try await setup.pass().status == 0)
        #expect(setup.fake.balances(of: "globex") == ["editor": 3])
        let state = try String(contentsOfFile: setup.folder.path + "/state/state.json", encoding: .utf8)
        #expect(state.contains("\"hook\" : 7"))

        for (sequence, flags) in [(5, ["--dry-run"]), (6, [])] {
            setup.fake.resetLedger()
            try setup.folder.write("seats.json", Self.snapshot(sequence: sequence, editors: 9))
            let run = try await setup.pass(flags)
            #expect(run.status == 1)
            #expect(setup.fake.ledger.isEmpty)
            #expect(
                run.stdout == "pass aborted before any Commet call: \(setup.folder.path)/seats.json: sequence "
                    + "\(sequence) is lower than the last applied sequence 7; refusing a replayed snapshot\n"
            )
        }
        #expect(setup.fake.balances(of: "globex") == ["editor": 3])
    }
}
