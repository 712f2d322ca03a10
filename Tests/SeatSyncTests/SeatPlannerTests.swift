import Foundation
import SeatSources
import Testing

@testable import SeatSync

/// Desired seats built from a compact table: customer -> feature -> count, with every listed code managed.
private func desired(_ table: [String: [String: Int]], managed extra: Set<String> = []) -> DesiredSeats {
    var customers: [String: [String: DesiredCount]] = [:]
    var managed = extra
    for (customer, counts) in table {
        for (feature, count) in counts {
            customers[customer, default: [:]][feature] = DesiredCount(count: count, why: "\(count) users (hr \(count))")
            managed.insert(feature)
        }
    }
    return DesiredSeats(customers: customers, managedFeatures: managed)
}

/// A line as a compact tuple-like string, so a whole plan reads as one table in an expectation.
private func rows(_ plan: SeatPlan) -> [String] {
    plan.customers.flatMap { customer in
        customer.lines.map { line in
            "\(customer.customer) \(line.feature) \(line.current.map(String.init) ?? "-")->\(line.desired) \(line.status.rawValue)"
        }
    }
}

struct SeatPlannerTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var desired: [String: [String: Int]]
        var managed: Set<String> = []
        var observed: [String: [String: Int]]
        var policy = PlanPolicy()
        var accepted: [AcceptedWrite] = []
        var expected: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "in sync: balances equal desired -> every line in_sync, no write",
            desired: ["acme": ["editor": 3, "viewer": 10]],
            observed: ["acme": ["editor": 3, "viewer": 10]],
            expected: ["acme editor 3->3 in_sync", "acme viewer 10->10 in_sync"]
        ),
        Case(
            name: "increase and decrease on one customer",
            desired: ["acme": ["editor": 5, "viewer": 8]],
            observed: ["acme": ["editor": 3, "viewer": 10]],
            expected: ["acme editor 3->5 increase", "acme viewer 10->8 decrease"]
        ),
        Case(
            name: "managed code the customer's data never mentions is desired at 0",
            desired: ["acme": ["editor": 2], "globex": ["admin": 1]],
            observed: ["acme": ["editor": 2, "admin": 1], "globex": ["admin": 1]],
            expected: ["acme admin 1->0 decrease", "acme editor 2->2 in_sync", "globex admin 1->1 in_sync"]
        ),
        Case(
            name: "absent_features keep: a code no source mentions is kept as is",
            desired: ["acme": ["editor": 2]],
            observed: ["acme": ["editor": 2, "legacy": 7]],
            expected: ["acme editor 2->2 in_sync", "acme legacy 7->7 kept"]
        ),
        Case(
            name: "absent_features zero: a code no source mentions goes to 0",
            desired: ["acme": ["editor": 2]],
            observed: ["acme": ["editor": 2, "legacy": 7, "old": 0]],
            policy: PlanPolicy(absentFeatures: .zero),
            expected: ["acme editor 2->2 in_sync", "acme legacy 7->0 decrease", "acme old 0->0 in_sync"]
        ),
        Case(
            name: "desired code not on the plan: warned, left out; a 0 for it is no line at all",
            desired: ["acme": ["editor": 2, "admin": 1], "globex": ["editor": 1, "admin": 0]],
            observed: ["acme": ["editor": 2], "globex": ["editor": 0]],
            expected: ["acme admin -->1 not_on_plan", "acme editor 2->2 in_sync", "globex editor 0->1 increase"]
        ),
        Case(
            name: "zero_customers not in any source: every managed code to 0, absent codes per policy",
            desired: ["acme": ["editor": 2, "viewer": 1]],
            observed: ["acme": ["editor": 2, "viewer": 1], "gone": ["editor": 4, "viewer": 0, "legacy": 3]],
            policy: PlanPolicy(zeroCustomers: ["gone"]),
            expected: [
                "acme editor 2->2 in_sync", "acme viewer 1->1 in_sync",
                "gone editor 4->0 decrease", "gone legacy 3->3 kept", "gone viewer 0->0 in_sync",
            ]
        ),
        Case(
            name: "drift: last pass wrote 3->5, balance still 3, still desired 5 -> an increase is written again",
            desired: ["acme": ["editor": 5]],
            observed: ["acme": ["editor": 3]],
            accepted: [AcceptedWrite(customer: "acme", feature: "editor", observed: 3, written: 5, acceptedAt: .now)],
            expected: ["acme editor 3->5 increase"]
        ),
        Case(
            name: "pending: last pass wrote 5->3, balance still 5, still desired 3 -> a decrease is pending, no write",
            desired: ["acme": ["editor": 3]],
            observed: ["acme": ["editor": 5]],
            accepted: [AcceptedWrite(customer: "acme", feature: "editor", observed: 5, written: 3, acceptedAt: .now)],
            expected: ["acme editor 5->3 pending"]
        ),
        Case(
            name: "not pending when desired changed since the accepted write",
            desired: ["acme": ["editor": 6]],
            observed: ["acme": ["editor": 3]],
            accepted: [AcceptedWrite(customer: "acme", feature: "editor", observed: 3, written: 5, acceptedAt: .now)],
            expected: ["acme editor 3->6 increase"]
        ),
        Case(
            name: "not pending when the balance moved since the accepted write",
            desired: ["acme": ["editor": 5]],
            observed: ["acme": ["editor": 4]],
            accepted: [AcceptedWrite(customer: "acme", feature: "editor", observed: 3, written: 5, acceptedAt: .now)],
            expected: ["acme editor 4->5 increase"]
        ),
        Case(
            name: "an accepted write of another customer does not make this one pending",
            desired: ["acme": ["editor": 5]],
            observed: ["acme": ["editor": 3]],
            accepted: [AcceptedWrite(customer: "globex", feature: "editor", observed: 3, written: 5, acceptedAt: .now)],
            expected: ["acme editor 3->5 increase"]
        ),
    ]

    @Test(arguments: cases)
    func plansLines(_ input: Case) {
        let plan = SeatPlanner.plan(
            desired: desired(input.desired, managed: input.managed),
            observed: input.observed,
            policy: input.policy,
            accepted: input.accepted
        )
        #expect(rows(plan) == input.expected)
    }

    @Test("writes hold only the changed codes, at their desired counts")
    func writesNameEveryChangedCode() {
        let plan = SeatPlanner.plan(
            desired: desired(["acme": ["editor": 5, "viewer": 8, "admin": 1]]),
            observed: ["acme": ["editor": 3, "viewer": 10, "admin": 1]],
            policy: PlanPolicy()
        )
        #expect(plan.customers.map(\.writes) == [["editor": 5, "viewer": 8]])
        #expect(plan.seatsRemoved == 2)
    }

    @Test("reasons come from the sources, zero-fill and policy")
    func reasons() {
        let plan = SeatPlanner.plan(
            desired: desired(["acme": ["editor": 5]], managed: ["admin"]),
            observed: ["acme": ["editor": 3, "admin": 1, "legacy": 2]],
            policy: PlanPolicy()
        )
        #expect(
            plan.customers[0].lines.map(\.reason) == [
                "no source grants it",
                "5 users (hr 5)",
                "no source mentions it; kept (absent_features: keep)",
            ]
        )
    }

    @Test("a pending decrease is pending, with its age, until pending_timeout after it was sent; then resent once")
    func pendingDecreaseIsResentAfterTheTimeout() {
        // Input: Commet accepted acme editor 5 -> 3 at t=0 and still shows 5; the sources still want 3;
        // pending_timeout 1h. Expected: pending at t=59m59s (since t=0), resent at t=1h.
        let accepted = AcceptedWrite(
            customer: "acme",
            feature: "editor",
            observed: 5,
            written: 3,
            acceptedAt: Date(timeIntervalSince1970: 0)
        )
        let policy = PlanPolicy(pendingTimeout: .seconds(3600))
        func line(at seconds: Double) -> PlanLine {
            SeatPlanner.plan(
                desired: desired(["acme": ["editor": 3]]),
                observed: ["acme": ["editor": 5]],
                policy: policy,
                accepted: [accepted],
                now: Date(timeIntervalSince1970: seconds)
            ).customers[0].lines[0]
        }
        let before = line(at: 3599)
        #expect(before.status == .pending)
        #expect(before.since == Date(timeIntervalSince1970: 0))
        #expect(before.reason.hasPrefix("Commet accepted 3 59m59s ago but still shows 5"))
        let after = line(at: 3600)
        #expect(after.status == .resent)
        #expect(after.isWrite)
        #expect(after.reason == "pending 1h, over policy.pending_timeout 1h: sent once more")
    }

    @Test("customers to read: sources plus zero_customers, once each, sorted")
    func customersToRead() {
        let seats = desired(["globex": ["editor": 1], "acme": ["editor": 1]])
        let policy = PlanPolicy(zeroCustomers: ["zed", "acme"])
        #expect(SeatPlanner.customers(desired: seats, policy: policy) == ["acme", "globex", "zed"])
    }
}
