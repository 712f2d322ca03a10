import CommetFake
import Testing

@testable import CommetSeats

/// The client-wide rate limit against the fake's one-second window.
struct ClientRateLimitTests {
    /// 10 concurrent reads at 2/s against a fake admitting 6/s -> no 429, and the last starts >= 4.5 s after the
    /// first (nine gaps of 1/2 s). The threefold margin absorbs a loaded machine delaying some requests on their
    /// way out and sending them closer together than they were released (at 3/s against 5/s, a machine at load
    /// 7 bunched enough of them to draw 429s).
    @Test func pacesConcurrentRequestsUnderTheLimit() async throws {
        let harness = try Harness(requestsPerSecond: 2)
        harness.fake.limitRate(requestsPerSecond: 6)
        let clock = ContinuousClock()
        let started = clock.now
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<10 {
                group.addTask { _ = try await harness.client.balances(customerID: "acme") }
            }
            try await group.waitForAll()
        }
        #expect(clock.now - started >= .seconds(4.45))
        let ledger = harness.fake.ledger
        #expect(ledger.count == 10)
        #expect(ledger.allSatisfy { $0.status == 200 })
    }

    /// Five concurrent reads from a client allowed 20/s against a fake admitting 3/s -> 429s with Retry-After,
    /// retried until every read succeeds, and the client's rate is halved afterwards. Concurrent, so that the
    /// five are released within 0.25 s however slowly a loaded machine answers each one.
    @Test func slowsDownAfterRateLimits() async throws {
        let harness = try Harness(requestsPerSecond: 20)
        harness.fake.limitRate(requestsPerSecond: 3)
        try await withThrowingTaskGroup(of: Void.self) { group in
            for _ in 0..<5 {
                group.addTask { _ = try await harness.client.balances(customerID: "acme") }
            }
            try await group.waitForAll()
        }
        let statuses = harness.fake.ledger.map(\.status)
        #expect(statuses.filter { $0 == 200 }.count == 5)
        #expect(statuses.contains(429))
        let rate = try #require(harness.client.rateLimiter?.currentRate)
        #expect(rate <= 10)
    }
}
