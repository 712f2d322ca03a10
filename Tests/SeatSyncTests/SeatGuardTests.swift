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
            name: "increases alone never pass a limit",
            plan: ["acme": ["editor": (0, 500)]],
            violations: []
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
        let (_, verdict) = SeatGuard.check(plan(input.plan), limits: input.limits, allowDecrease: false)
        #expect(verdict.violations.map(\.description) == input.violations)
        #expect(verdict.held == !input.violations.isEmpty)
    }

    @Test("held: decreases become held, increases stay, totals kept")
    func holdsDecreasesKeepsIncreases() {
        let input = plan(["acme": ["editor": (40, 8), "admin": (1, 3)], "globex": ["editor": (60, 12)]])
        let (guarded, verdict) = SeatGuard.check(input, limits: GuardLimits(), allowDecrease: false)
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
        let (guarded, verdict) = SeatGuard.check(input, limits: GuardLimits(), allowDecrease: true)
        #expect(!verdict.held)
        #expect(verdict.violations.count == 3)
        #expect(guarded == input)
    }

    @Test("customers brought to zero are counted even within the limits")
    func countsCustomersToZero() {
        let input = plan(["acme": ["editor": (1, 0)], "globex": ["editor": (1, 1), "viewer": (1, 0)]])
        let limits = GuardLimits(maxRemovedFraction: 1, maxRemovedSeats: 10, maxCustomerRemovedFraction: 1)
        let (_, verdict) = SeatGuard.check(input, limits: limits, allowDecrease: false)
        #expect(verdict.customersToZero == ["acme"])
        #expect(verdict.violations.isEmpty)
    }

    @Test("summary names five customers and counts the rest")
    func summaryTruncates() {
        var table: [String: [String: (Int, Int)]] = [:]
        for index in 1...7 { table["c\(index)"] = ["editor": (2, 0)] }
        let limits = GuardLimits(maxRemovedFraction: 1, maxRemovedSeats: 100)
        let (_, verdict) = SeatGuard.check(plan(table), limits: limits, allowDecrease: false)
        let customerLine = "loses 2 of 2 seats (100%), over max_customer_removed_fraction 50%"
        #expect(
            verdict.summary
                == (1...5).map { "customer c\($0) \(customerLine)" }.joined(separator: "; ")
                + "; and 2 more customers over the limit"
        )
    }
}
