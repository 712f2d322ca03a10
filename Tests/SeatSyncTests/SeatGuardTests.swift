import Foundation
import SeatSources
import Testing

@testable import SeatSync

/// A plan of one customer per entry: feature -> (current, desired), all managed.
private func plan(_ table: [String: [String: (Int, Int)]]) -> SeatPlan {
    var counts: [String: [String: DesiredCount]] = [:]
    var observed: [String: [String: Int]] = [:]
    for (customer, features) in table {
        for (feature, pair) in features {
            observed[customer, default: [:]][feature] = pair.0
            counts[customer, default: [:]][feature] = DesiredCount(count: pair.1, why: "from hr")
        }
    }
    let managed = Set(table.values.flatMap(\.keys))
    return SeatPlanner.plan(
        desired: DesiredSeats(customers: counts, managedFeatures: managed),
        observed: observed,
        policy: PlanPolicy()
    )
}

struct SeatGuardTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var plan: [String: [String: (Int, Int)]]
        var limits = GuardLimits()
        var violations: [String]
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "small decrease within every default limit",
            plan: ["acme": ["editor": (100, 95)], "globex": ["editor": (100, 100)]],
            violations: []
        ),
        Case(
            name: "exactly 10% of managed seats is not over the limit",
            plan: ["acme": ["editor": (50, 40)], "globex": ["editor": (50, 50)]],
            violations: []
        ),
        Case(
            name: "more than 10% of all managed seats",
            plan: ["acme": ["editor": (50, 39)], "globex": ["editor": (50, 50)]],
            violations: ["removes 11 of 100 managed seats (11%), over max_removed_fraction 10%"]
        ),
        Case(
            name: "more than 50 seats in one pass, under the fraction",
            plan: ["acme": ["editor": (300, 270)], "globex": ["editor": (300, 279)]],
            violations: ["removes 51 seats, over max_removed_seats 50"]
        ),
        Case(
            name: "a customer losing more than half, brought to zero, the rest large",
            plan: ["acme": ["editor": (2, 0), "viewer": (1, 0)], "big": ["editor": (1000, 1000)]],
            violations: ["customer acme loses 3 of 3 seats (100%), over max_customer_removed_fraction 50%"]
        ),
        Case(
            name: "80% of seats dropped: every limit passed",
            plan: ["acme": ["editor": (40, 8)], "globex": ["editor": (60, 12)]],
            violations: [
                "removes 80 of 100 managed seats (80%), over max_removed_fraction 10%",
                "removes 80 seats, over max_removed_seats 50",
                "customer acme loses 32 of 40 seats (80%), over max_customer_removed_fraction 50%",
                "customer globex loses 48 of 60 seats (80%), over max_customer_removed_fraction 50%",
            ]
        ),
        Case(
            name: "configured limits replace the defaults",
            plan: ["acme": ["editor": (10, 7)]],
            limits: GuardLimits(maxRemovedFraction: 0.5, maxRemovedSeats: 2, maxCustomerRemovedFraction: 0.25),
            violations: [
                "removes 3 seats, over max_removed_seats 2",
                "customer acme loses 3 of 10 seats (30%), over max_customer_removed_fraction 25%",
            ]
        ),
        Case(
            name: "a customer more than doubling by more than 50 seats passes the increase limit (0 -> 500)",
            plan: ["acme": ["editor": (0, 500)]],
            violations: [
                "customer acme gains 500 seats on 0, over max_customer_added_fraction 100% and max_customer_added_seats 50"
            ]
        ),
        Case(
            name: "doubling by 50 seats or fewer is normal growth (10 -> 60), and so is +50% of 200 (200 -> 300)",
            plan: ["acme": ["editor": (10, 60)], "globex": ["editor": (200, 300)]],
            violations: []
        ),
        Case(
            name: "a pass adding more than max_added_seats in all passes it (3 customers of +400, limit 1000)",
            plan: ["a": ["editor": (400, 800)], "b": ["editor": (400, 800)], "c": ["editor": (400, 800)]],
            violations: ["adds 1200 seats, over max_added_seats 1000"]
        ),
        Case(
            name: "a fraction with one decimal is shown with it",
            plan: ["acme": ["editor": (600, 495)], "globex": ["editor": (400, 400)]],
            limits: GuardLimits(maxRemovedSeats: 1000),
            violations: ["removes 105 of 1000 managed seats (10.5%), over max_removed_fraction 10%"]
        ),
    ]

    @Test(arguments: cases)
    func findsViolations(_ input: Case) {
        let (_, verdict) = guardCheck(plan(input.plan), limits: input.limits)
        #expect(verdict.violations.map(\.description) == input.violations)
        #expect(verdict.held == !input.violations.isEmpty)
    }

    @Test("held: decreases become held, increases stay, totals kept")
    func holdsDecreasesKeepsIncreases() {
        let input = plan(["acme": ["editor": (40, 8), "admin": (1, 3)], "globex": ["editor": (60, 12)]])
        let (guarded, verdict) = guardCheck(input, limits: GuardLimits())
        #expect(verdict.held)
        #expect(verdict.heldSeats == 80)
        #expect(verdict.heldCustomers == 2)
        #expect(verdict.managedSeats == 101)
        #expect(guarded.customers.map(\.writes) == [["admin": 3], [:]])
        let acmeEditor = guarded.customers[0].lines[1]
        #expect(acmeEditor.status == .held)
        #expect(acmeEditor.reason == "held by the guard; from hr")
    }

    @Test("--allow-decrease: violations reported, nothing held")
    func allowDecreaseApprovesDecreases() {
        let input = plan(["acme": ["editor": (60, 8)]])
        let (guarded, verdict) = guardCheck(input, limits: GuardLimits(), approval: GuardApproval(allDecreases: true))
        #expect(!verdict.held)
        #expect(verdict.violations.count == 3)
        #expect(guarded == input)
    }

    @Test("a held decrease stays held on the next pass although increases raised the total under the limit")
    func heldDecreaseIsSticky() {
        // Pass 1: globex viewer 3 -> 2 of 8 managed seats (12.5%) goes over max_removed_fraction 10%: held.
        let first = SeatGuard.check(
            plan(["acme": ["editor": (1, 3)], "globex": ["viewer": (3, 2), "editor": (4, 4)]]),
            limits: GuardLimits(),
            now: Date(timeIntervalSince1970: 100)
        )
        #expect(first.holds.map { "\($0.customer)/\($0.feature) \($0.from)->\($0.to)" } == ["globex/viewer 3->2"])
        // Pass 2: acme's increase landed (10 managed seats, 1 of 10 = 10% is within the limit); the same
        // decrease is still held, since the hold is a decision, and keeps its first-held time.
        let second = SeatGuard.check(
            plan(["acme": ["editor": (3, 3)], "globex": ["viewer": (3, 2), "editor": (4, 4)]]),
            limits: GuardLimits(),
            holds: first.holds,
            now: Date(timeIntervalSince1970: 200)
        )
        #expect(second.verdict.violations.isEmpty)
        #expect(second.verdict.stillHeld == first.holds)
        #expect(second.holds == first.holds)
        #expect(second.plan.customers[1].lines.first { $0.feature == "viewer" }?.status == .held)
        #expect(
            second.plan.customers[1].lines.first { $0.feature == "viewer" }?.since == Date(timeIntervalSince1970: 100)
        )
    }

    @Test("a different decrease for a held line (3 -> 1 instead of 3 -> 2) is a new decision; back in sync drops it")
    func changedOrSatisfiedHoldIsDropped() {
        let hold = HeldChange(customer: "globex", feature: "viewer", from: 3, to: 2, heldSince: .distantPast)
        let loose = GuardLimits(maxRemovedFraction: 1, maxRemovedSeats: 100, maxCustomerRemovedFraction: 1)
        let changed = SeatGuard.check(plan(["globex": ["viewer": (3, 1)]]), limits: loose, holds: [hold])
        #expect(changed.holds.isEmpty)
        #expect(changed.plan.customers[0].writes == ["viewer": 1])
        let inSync = SeatGuard.check(plan(["globex": ["viewer": (3, 3)]]), limits: loose, holds: [hold])
        #expect(inSync.holds.isEmpty)
        let unread = SeatGuard.check(plan([:]), limits: loose, holds: [hold], unread: ["globex"])
        #expect(unread.holds == [hold])
    }

    @Test("a reviewed approval applies exactly its change; another held change stays held")
    func reviewedApprovalAppliesExactlyIt() {
        let viewer = HeldChange(customer: "globex", feature: "viewer", from: 30, to: 2, heldSince: .distantPast)
        let editor = HeldChange(customer: "acme", feature: "editor", from: 30, to: 1, heldSince: .distantPast)
        let outcome = SeatGuard.check(
            plan(["globex": ["viewer": (30, 2)], "acme": ["editor": (30, 1)]]),
            limits: GuardLimits(),
            holds: [viewer, editor],
            approval: GuardApproval(changes: [viewer])
        )
        #expect(outcome.verdict.approved.map(\.feature) == ["viewer"])
        #expect(outcome.holds == [editor])
        #expect(outcome.plan.customers.map(\.writes) == [[:], ["viewer": 2]])
    }

    @Test("held increases: a customer over its limit is held alone, the others' increases flow")
    func increaseHoldIsPerCustomer() {
        let outcome = SeatGuard.check(
            plan(["acme": ["editor": (0, 500)], "globex": ["editor": (5, 7)]]),
            limits: GuardLimits()
        )
        #expect(outcome.holds.map(\.customer) == ["acme"])
        #expect(outcome.plan.customers.map(\.writes) == [[:], ["editor": 7]])
        let approved = SeatGuard.check(
            plan(["acme": ["editor": (0, 80)]]),
            limits: GuardLimits(),
            approval: GuardApproval(allIncreases: true)
        )
        #expect(approved.holds.isEmpty)
        #expect(approved.plan.customers[0].writes == ["editor": 80])
    }

    @Test("customers brought to zero are counted even within the limits")
    func countsCustomersToZero() {
        let input = plan(["acme": ["editor": (1, 0)], "globex": ["editor": (1, 1), "viewer": (1, 0)]])
        let limits = GuardLimits(maxRemovedFraction: 1, maxRemovedSeats: 10, maxCustomerRemovedFraction: 1)
        let (_, verdict) = guardCheck(input, limits: limits)
        #expect(verdict.customersToZero == ["acme"])
        #expect(verdict.violations.isEmpty)
    }

    @Test("summary names five customers and counts the rest")
    func summaryTruncates() {
        var table: [String: [String: (Int, Int)]] = [:]
        for index in 1...7 { table["c\(index)"] = ["editor": (2, 0)] }
        let limits = GuardLimits(maxRemovedFraction: 1, maxRemovedSeats: 100)
        let (_, verdict) = guardCheck(plan(table), limits: limits)
        let customerLine = "loses 2 of 2 seats (100%), over max_customer_removed_fraction 50%"
        #expect(
            verdict.summary
                == (1...5).map { "customer c\($0) \(customerLine)" }.joined(separator: "; ")
                + "; and 2 more customers over the limit"
        )
    }
}

/// The guard's plan and verdict for a plan with no holds from earlier passes (also used by `PlanRendererTests`).
func guardCheck(
    _ plan: SeatPlan,
    limits: GuardLimits,
    approval: GuardApproval = .none
) -> (SeatPlan, GuardVerdict) {
    let outcome = SeatGuard.check(plan, limits: limits, approval: approval)
    return (outcome.plan, outcome.verdict)
}
