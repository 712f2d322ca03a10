import CommetFake
import Testing

@testable import CommetSeats

/// The client-wide rate limit against the fake's one-second window.
struct ClientRateLimitTests {
    /// 10 concurrent reads at 2/s -> each is released only after the one before it by the client's pacing, so
    /// the last one answered comes at least 4.45 s (nine gaps of 1/2 s) after the reads were started, and every
    /// read is answered 200 the first time. The fake applies no rate limit here: on a loaded machine requests the
    /// client released half a second apart can reach a server together, and a server-side window would turn that
    /// into 429s the client never caused. The arithmetic of the pacing is `TokenBucketTests`' (on a given clock);
    /// this test shows the client waits for it. Only a lower bound on real time is asserted: a loaded machine
    /// makes it longer, never shorter.
    @Test func pacesConcurrentRequestsUnderTheLimit() async throws {
        let harness = try Harness(requestsPerSecond: 2)
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
    /// retried until every read succeeds, and the client's rate was halved by them. Concurrent, so that the
    /// five are released within 0.25 s however slowly a loaded machine answers each one. The rate in force at the
    /// end is not asserted: it climbs back 10 s after the last 429, and under load the retries took 22 s.
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
        let rate = try #require(harness.client.rateLimiter?.lowestRate)
        #expect(rate <= 10)
    }
}
