import CommetFake
import Foundation
import Synchronization
import Testing

/// Records when each request reached the fake, to measure the rate the client really sent at.
private final class Arrivals: Sendable {
    private let times = Mutex<[ContinuousClock.Instant]>([])

    init(_ fake: FakeCommet) {
        fake.observeRequests { [self] _ in times.withLock { $0.append(.now) } }
    }

    /// The most requests that arrived within any one second.
    var busiestSecond: Int {
        let sorted = times.withLock { $0 }.sorted()
        var busiest = 0
        var start = 0
        for end in sorted.indices {
            while sorted[end] - sorted[start] >= .seconds(1) { start += 1 }
            busiest = max(busiest, end - start + 1)
        }
        return busiest
    }

    /// Seconds from the first arrival to the last.
    var span: Double {
        let all = times.withLock { $0 }
        guard let first = all.min(), let last = all.max() else { return 0 }
        let (seconds, attoseconds) = (last - first).components
        return Double(seconds) + Double(attoseconds) / 1e18
    }
}

@Suite struct RateLimitEndToEndTests {
    /// Ten customers, two of them needing a change: twelve requests.
    static let customers = Dictionary(uniqueKeysWithValues: (0..<10).map { ("c\($0)", ["editor": 2]) })
    static let desired = customers.mapValues { _ in ["editor": 2] }.merging(["c3": ["editor": 3], "c7": ["editor": 4]])
    { _, new in new }

    @Test func theClientStaysUnderItsConfiguredRateAndMeetsNo429() async throws {
        // Input: the fake admits 5 requests a second; seat-sync is configured for 3 a second, concurrency 4
        // (the margin keeps a request the OS delayed from bunching with the next ones into one second).
        // Expected: exit 0, both changes applied, no 429 in the ledger, never more than 5 requests in a second,
        // and the 12 requests spread over at least 60% of 11/3 s: unpaced, four at a time, they would arrive
        // within a fraction of a second; a loaded machine that delays the first one shortens the span by as much,
        // so the bound leaves it room (at load 7 a run measured 3.36 s against 3.67).
        let setup = try ReconcileSetup(
            customers: Self.customers,
            requestsPerSecond: 3,
            concurrency: 4
        )
        defer { setup.fake.stop() }
        setup.fake.limitRate(requestsPerSecond: 5)
        let arrivals = Arrivals(setup.fake)
        try setup.writeUsers(Self.desired)

        let run = try await setup.pass()
        #expect(run.status == 0)
        #expect(setup.fake.ledger.count == 12)
        #expect(setup.fake.ledger.allSatisfy { $0.status == 200 })
        #expect(arrivals.busiestSecond <= 5)
        #expect(arrivals.span >= 11.0 / 3 * 0.6)
        #expect(setup.fake.balances(of: "c7") == ["editor": 4])
    }
}

extension RateLimitEndToEndTests {
    @Test func aClientConfiguredAboveCommetsLimitSlowsDownInsteadOfStorming() async throws {
        // Input: 30 customers, 3 changes; the fake admits 5 requests a second, seat-sync is configured for 20 with
        // the default 3 retries.
        // Expected: exit 0 with every change applied; the 429s stay few (the client halves its rate after a 429
        // and waits Retry-After): at most 15 for the 33 reads and writes, far from one or more per request.
        let customers = Dictionary(uniqueKeysWithValues: (0..<30).map { ("c\($0)", ["editor": 2]) })
        let desired = customers.merging(["c3": ["editor": 3], "c17": ["editor": 4], "c29": ["editor": 5]]) { _, new in
            new
        }
        let setup = try ReconcileSetup(customers: customers, requestsPerSecond: 20, concurrency: 4, maxRetries: 3)
        defer { setup.fake.stop() }
        setup.fake.limitRate(requestsPerSecond: 5)
        try setup.writeUsers(desired)

        let run = try await setup.pass()
        #expect(run.status == 0)
        let answered = setup.fake.ledger.filter { $0.status == 200 }
        #expect(answered.count == 33)
        #expect(setup.fake.ledger.count { $0.status == 429 } <= 15)
        #expect(setup.writes.count { $0.status == 200 } == 3)
        #expect(setup.fake.balances(of: "c29") == ["editor": 5])
    }
}
