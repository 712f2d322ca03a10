import Foundation
import SeatSources
import Testing

@testable import SeatSync

/// A three-customer pass: acme gains and loses seats, globex is in sync, initech has a code off its plan.
private func samplePlan() -> SeatPlan {
    let desired = DesiredSeats(
        customers: [
            "acme": [
                "editor": DesiredCount(count: 5, why: "5 users (hr 5)"),
                "viewer": DesiredCount(count: 8, why: "8 users (hr 6, directory 3; 1 in both)"),
            ],
            "globex": ["editor": DesiredCount(count: 12, why: "counted 12 at seats.json:1")],
            "initech": ["admin": DesiredCount(count: 1, why: "1 user (directory 1)")],
        ],
        managedFeatures: ["admin", "editor", "viewer"]
    )
    let observed = [
        "acme": ["editor": 3, "viewer": 10, "admin": 1],
        "globex": ["editor": 12, "legacy": 4],
        "initech": ["editor": 0],
    ]
    return SeatPlanner.plan(desired: desired, observed: observed, policy: PlanPolicy())
}

private func report(_ plan: SeatPlan, dryRun: Bool, verdict: GuardVerdict? = nil) -> PassReport {
    PassReport(
        passID: "pass-1",
        dryRun: dryRun,
        allowDecrease: false,
        startedAt: Date(timeIntervalSince1970: 0),
        duration: .milliseconds(1500),
        plan: plan,
        verdict: verdict
    )
}

struct PlanRendererTests {
    @Test("dry run text: a table per customer needing attention, in-sync customers only counted")
    func dryRunText() {
        var plan = samplePlan()
        plan.customers[0].outcome = .planned
        let text = PlanRenderer.text(report(plan, dryRun: true))
        #expect(
            text == """
                acme: would write 3 codes
                  feature  current  desired  delta  reason
                  admin          1        0     -1  no source grants it
                  editor         3        5     +2  5 users (hr 5)
                  viewer        10        8     -2  8 users (hr 6, directory 3; 1 in both)

                initech: no write; codes not on the plan
                  feature  current  desired  delta  reason
                  admin          -        1      -  not on the customer's plan; left out of the write (1 user (directory 1))
                  editor         0        0      0  in sync; no source grants it

                3 customers: 2 in sync, 1 to change, 0 failed, 0 held, 0 pending; seats +2 -3 (dry run: nothing written)

                """
        )
    }

    @Test("applied text: request id, Commet's newBalance where it differs, failures with what happens next")
    func appliedText() {
        var plan = samplePlan()
        plan.customers[0].outcome = .applied(requestID: "req_1", idempotencyKey: "seat-sync-x")
        plan.customers[0].lines[0].result = 0
        plan.customers[0].lines[1].result = 5
        plan.customers[0].lines[2].result = 10
        plan.customers[1] = .unreadable(
            "globex",
            failure: .init(stage: .read, message: "HTTP 404 customer_not_found", requestID: "req_2")
        )
        let text = PlanRenderer.text(report(plan, dryRun: false))
        #expect(
            text == """
                acme: wrote 3 codes (request req_1)
                  feature  current  desired  delta  reason
                  admin          1        0     -1  no source grants it
                  editor         3        5     +2  5 users (hr 5)
                  viewer        10        8     -2  8 users (hr 6, directory 3; 1 in both); Commet answered newBalance 10

                globex: FAILED reading balances: HTTP 404 customer_not_found; skipped until next pass

                initech: no write; codes not on the plan
                  feature  current  desired  delta  reason
                  admin          -        1      -  not on the customer's plan; left out of the write (1 user (directory 1))
                  editor         0        0      0  in sync; no source grants it

                3 customers: 1 in sync, 1 changed, 1 failed, 0 held, 0 pending; seats +2 -1

                """
        )
    }

    @Test("held text: held lines, the guard line with how to approve")
    func heldText() {
        var (guarded, verdict) = guardCheck(samplePlan(), limits: GuardLimits())
        guarded.customers[0].outcome = .planned
        let text = PlanRenderer.text(report(guarded, dryRun: true, verdict: verdict))
        #expect(
            text.hasPrefix(
                """
                acme: would write 1 code; changes held by the guard
                  feature  current  desired  delta  reason
                  admin          1        0     -1  held by the guard; no source grants it
                  editor         3        5     +2  5 users (hr 5)
                  viewer        10        8     -2  held by the guard; 8 users (hr 6, directory 3; 1 in both)
                """
            )
        )
        #expect(
            text.hasSuffix(
                """
                guard: held 3 seats of changes for 1 customer: removes 3 of 26 managed seats (11.5%), \
                over max_removed_fraction 10%; a dry run records nothing: a pass that writes holds these
                3 customers: 2 in sync, 1 to change, 0 failed, 1 held, 0 pending; seats +2 -0 (dry run: nothing written)

                """
            )
        )
    }

    @Test("a customer id and a feature code holding a line break and ESC are shown escaped in the text plan")
    func controlCharactersInInputAreEscaped() {
        // Input: a customer id "acme\n<ESC>[2Jforged: wrote 9 codes" (what a CSV customer cell or a config mapping
        // could carry) with a feature code "edi\ntor". Expected: one headline with the controls written as \n and
        // \u{1b}, and no line of the plan that the input started.
        let desired = DesiredSeats(
            customers: ["acme\n\u{1B}[2Jforged: wrote 9 codes": ["edi\ntor": DesiredCount(count: 2, why: "2 users")]],
            managedFeatures: ["edi\ntor"]
        )
        var plan = SeatPlanner.plan(
            desired: desired,
            observed: ["acme\n\u{1B}[2Jforged: wrote 9 codes": ["edi\ntor": 1]],
            policy: PlanPolicy()
        )
        plan.customers[0].outcome = .planned
        let text = PlanRenderer.text(report(plan, dryRun: true))
        #expect(
            text == """
                acme\\n\\u{1b}[2Jforged: wrote 9 codes: would write 1 code
                  feature   current  desired  delta  reason
                  edi\\ntor        1        2     +1  2 users

                1 customer: 0 in sync, 1 to change, 0 failed, 0 held, 0 pending; seats +1 -0 (dry run: nothing written)

                """
        )
        #expect(!text.unicodeScalars.contains("\u{1B}"))
        var aborted = report(SeatPlan(customers: []), dryRun: true)
        aborted.abortReason = "x.csv:1: a\nforged"
        #expect(PlanRenderer.text(aborted) == "pass aborted before any Commet call: x.csv:1: a\\nforged\n")
    }

    @Test("aborted pass: one line naming the error")
    func abortedText() {
        var aborted = report(SeatPlan(customers: []), dryRun: false)
        aborted.abortReason = "users.csv:14:27: unterminated quoted field"
        #expect(
            PlanRenderer.text(aborted)
                == "pass aborted before any Commet call: users.csv:14:27: unterminated quoted field\n"
        )
        #expect(aborted.exitCode == .failure)
    }

    @Test("JSON: the documented fields, with per-line status and delta")
    func json() throws {
        var plan = samplePlan()
        plan.customers[0].outcome = .planned
        let text = PlanRenderer.json(report(plan, dryRun: true))
        let document = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "seat-sync-plan")
        #expect(document["version"] as? Int == 1)
        #expect(document["pass_id"] as? String == "pass-1")
        #expect(document["exit_code"] as? Int == 2)
        let summary = try #require(document["summary"] as? [String: Any])
        #expect(summary["customers"] as? Int == 3)
        #expect(summary["changed"] as? Int == 1)
        #expect(summary["seats_added"] as? Int == 2)
        #expect(summary["seats_removed"] as? Int == 3)
        #expect(summary["duration_seconds"] as? Double == 1.5)
        let customers = try #require(document["customers"] as? [[String: Any]])
        #expect(customers.map { $0["customer"] as? String } == ["acme", "globex", "initech"])
        #expect(customers.map { $0["outcome"] as? String } == ["planned", "no_write", "no_write"])
        let initech = try #require(customers[2]["lines"] as? [[String: Any]])
        #expect(initech[0]["status"] as? String == "not_on_plan")
        #expect(initech[0]["current"] == nil)
        #expect(initech[0]["delta"] == nil)
        let acme = try #require(customers[0]["lines"] as? [[String: Any]])
        #expect(acme[2]["delta"] as? Int == -2)
        #expect(acme[2]["status"] as? String == "decrease")
    }
}
