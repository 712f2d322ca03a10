import CommetFake
import CommetSeats
import InMemoryLogging
import Logging
import SeatSources
import Testing

@testable import SeatSync

/// A fake with `plans` as customers, a client pointed at it, and a logger that keeps its lines.
private struct Rig {
    let fake: FakeCommet
    let client: CommetSeatsClient
    let logs = InMemoryLogHandler()
    var logger: Logger { Logger(label: "test") { _ in logs } }

    init(_ plans: [String: [String: Int]]) throws {
        fake = try FakeCommet()
        for (customer, plan) in plans { fake.addCustomer(customer, plan: plan) }
        let configuration = CommetConfiguration(
            baseURL: fake.baseURL,
            apiKey: APIKey("test-key"),
            retry: RetryPolicy(maxRetries: 1, baseDelay: .milliseconds(5), maxDelay: .milliseconds(10))
        )
        client = try CommetSeatsClient(
            configuration: configuration,
            logger: Logger(label: "client") { _ in SwiftLogNoOpLogHandler() }
        )
    }

    /// Reads the fake's balances and plans them against `desired` (every listed code managed).
    func plan(_ desired: [String: [String: Int]]) async -> SeatPlan {
        let counts = desired.mapValues { $0.mapValues { DesiredCount(count: $0, why: "from test") } }
        let seats = DesiredSeats(customers: counts, managedFeatures: Set(desired.values.flatMap(\.keys)))
        let readings = await BalanceReader(client: client, concurrency: 4, logger: logger).read(desired.keys.sorted())
        return SeatPlanner.plan(desired: seats, observed: readings.balances, policy: PlanPolicy())
    }

    func apply(_ plan: SeatPlan, pass: String = "pass-1") async -> SeatPlan {
        await SeatApplier(client: client, concurrency: 4, logger: logger).apply(plan, passID: pass)
    }
}

struct SeatApplierTests {
    @Test("two customers change, one in sync: two setAll naming only changed codes, keys as derived")
    func oneWritePerChangedCustomer() async throws {
        let rig = try Rig([
            "acme": ["editor": 3, "viewer": 10],
            "globex": ["editor": 1],
            "initech": ["editor": 2],
        ])
        let plan = await rig.plan([
            "acme": ["editor": 5, "viewer": 10], "globex": ["editor": 0], "initech": ["editor": 2],
        ])
        rig.fake.resetLedger()
        let applied = await rig.apply(plan)

        let writes = rig.fake.ledger.filter { $0.route == .setAll }.sorted { $0.customerID ?? "" < $1.customerID ?? "" }
        #expect(writes.map(\.customerID) == ["acme", "globex"])
        #expect(writes.map(\.seats) == [["editor": 5], ["editor": 0]])
        #expect(rig.fake.ledger.count == 2)
        let acmeKey = IdempotencyKey.derive(
            pass: "pass-1",
            customer: "acme",
            observed: ["editor": 3, "viewer": 10],
            desired: ["editor": 5]
        )
        #expect(writes[0].idempotencyKey == acmeKey)
        #expect(applied.customers[0].outcome == .applied(requestID: writes[0].requestID, idempotencyKey: acmeKey))
        #expect(applied.customers[0].lines.map(\.result) == [5, nil])
        #expect(applied.customers[2].outcome == .noWrite)
        #expect(rig.fake.balances(of: "acme") == ["editor": 5, "viewer": 10])
        #expect(rig.fake.balances(of: "globex") == ["editor": 0])
    }

    @Test("every code written logs customer, feature, from, to and request id")
    func logsEveryWrite() async throws {
        let rig = try Rig(["acme": ["editor": 3, "viewer": 10]])
        let plan = await rig.plan(["acme": ["editor": 5, "viewer": 8]])
        _ = await rig.apply(plan)
        let request = try #require(rig.fake.ledger.last?.requestID)
        let lines = rig.logs.entries.filter { $0.message == "seats written" }.map(\.metadata)
        #expect(
            lines == [
                [
                    "customer": "acme", "feature": "editor", "from": .number(3), "to": .number(5),
                    "request_id": "\(request)",
                ],
                [
                    "customer": "acme", "feature": "viewer", "from": .number(10), "to": .number(8),
                    "request_id": "\(request)",
                ],
            ]
        )
    }

    @Test("a deferred decrease: the result is Commet's newBalance, logged with what was requested")
    func resultFromNewBalance() async throws {
        let rig = try Rig(["acme": ["editor": 3]])
        rig.fake.deferDecreases(for: "acme")
        let plan = await rig.plan(["acme": ["editor": 1]])
        let applied = await rig.apply(plan)
        #expect(applied.customers[0].lines[0].result == 1)
        #expect(rig.fake.balances(of: "acme") == ["editor": 3])
    }

    @Test("one customer's write fails (409 feature_not_in_plan): logged with what next, the others applied")
    func failureIsIsolated() async throws {
        let rig = try Rig(["acme": ["editor": 3], "globex": ["editor": 1], "initech": ["editor": 0]])
        rig.fake.inject([.status(409, code: "insufficient_seats")], on: .setAll)
        let plan = await rig.plan(["acme": ["editor": 4], "globex": ["editor": 2], "initech": ["editor": 1]])
        let applied = await rig.apply(plan)

        let failed = applied.customers.filter(\.isFailed)
        #expect(failed.count == 1)
        #expect(applied.customers.count { if case .applied = $0.outcome { true } else { false } } == 2)
        let entry = try #require(rig.logs.entries.first { $0.message == "seat write failed" })
        #expect(entry.level == .error)
        #expect(entry.metadata["next"] == "skipped until next pass")
        #expect(entry.metadata["customer"] == .string(failed[0].customer))
        let failedWrite = try #require(rig.fake.ledger.first { $0.route == .setAll && $0.status == 409 })
        #expect(entry.metadata["request_id"] == .string(failedWrite.requestID ?? ""))
    }

    @Test("balance read of an unknown customer fails alone; the others are read")
    func readFailureIsIsolated() async throws {
        let rig = try Rig(["acme": ["editor": 3]])
        let readings = await BalanceReader(client: rig.client, concurrency: 2, logger: rig.logger).read([
            "acme", "ghost",
        ])
        #expect(readings.balances == ["acme": ["editor": 3]])
        guard let failure = readings.failed["ghost"] else {
            Issue.record("expected a failed read for ghost, got \(readings.failed)")
            return
        }
        #expect(failure.stage == .read)
        #expect(failure.message.contains("customer_not_found"))
        #expect(rig.logs.entries.contains { $0.message == "balance read failed" && $0.metadata["customer"] == "ghost" })
    }

    @Test("a cancelled pass sends no setAll and reads no balance; each customer says why")
    func cancelledPassStartsNoCustomer() async throws {
        // Input: two customers with changes, applied and read from a task cancelled before it starts (the
        // daemon stopping after its grace). Expected: no request reaches the fake; both customers fail with
        // "not sent: the pass was cancelled", and both reads with "not read: the pass was cancelled".
        let rig = try Rig(["acme": ["editor": 3], "globex": ["editor": 1]])
        let plan = await rig.plan(["acme": ["editor": 5], "globex": ["editor": 2]])
        rig.fake.resetLedger()
        let task = Task {
            withUnsafeCurrentTask { $0?.cancel() }
            let applied = await rig.apply(plan)
            let readings = await BalanceReader(client: rig.client, concurrency: 2, logger: rig.logger).read(["acme"])
            return (applied, readings)
        }
        let (applied, readings) = await task.value

        #expect(rig.fake.ledger.isEmpty)
        #expect(applied.customers.map(\.outcome) == [SeatApplier.cancelledOutcome, SeatApplier.cancelledOutcome])
        #expect(readings.failed["acme"] == .init(stage: .read, message: "not read: the pass was cancelled"))
    }
}
