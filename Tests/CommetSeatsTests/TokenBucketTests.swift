import Testing

@testable import CommetSeats

struct TokenBucketTests {
    /// Ten requests asked for at once at 10/s are spaced 0.1 s apart, in the order asked.
    @Test func spacesABurstEvenly() {
        var bucket = TokenBucket(rate: 10, now: 0)
        let waits = (0..<10).map { _ in bucket.reserve(now: 0) }
        for (index, wait) in waits.enumerated() {
            #expect(abs(wait - Double(index) * 0.1) < 1e-9)
        }
    }

    /// A bucket left alone refills to its capacity, no further.
    @Test func refillsToCapacityOnly() {
        var bucket = TokenBucket(rate: 10, capacity: 2, now: 0)
        _ = bucket.reserve(now: 0)
        _ = bucket.reserve(now: 0)
        #expect(bucket.reserve(now: 100) == 0)
        #expect(bucket.reserve(now: 100) == 0)
        #expect(abs(bucket.reserve(now: 100) - 0.1) < 1e-9)
    }

    /// After a 429 the rate halves, holds, then climbs back to the configured rate.
    @Test func slowsDownAfterA429AndRecovers() {
        var bucket = TokenBucket(rate: 10, hold: 10, recoveryPerSecond: 0.1, now: 0)
        bucket.slowDown(now: 1)
        #expect(bucket.rate(at: 1) == 5)
        #expect(bucket.rate(at: 11) == 5)
        #expect(abs(bucket.rate(at: 13) - 7) < 1e-9)
        #expect(bucket.rate(at: 20) == 10)
        // Recovered, the bucket still remembers how far it was slowed.
        #expect(bucket.lowestRate == 5)
        _ = bucket.reserve(now: 1)
        #expect(abs(bucket.reserve(now: 1) - 0.2) < 1e-9)
    }

    /// 429s arriving together (from requests already in flight) halve the rate once, later ones again,
    /// but never below a sixteenth of the configured rate.
    @Test func halvesOncePerBurstOfRateLimits() {
        var bucket = TokenBucket(rate: 16, slowdownSpacing: 1, now: 0)
        bucket.slowDown(now: 0)
        bucket.slowDown(now: 0.5)
        #expect(bucket.rate(at: 0.5) == 8)
        for second in 1...10 {
            bucket.slowDown(now: Double(second))
        }
        #expect(bucket.rate(at: 10) == 1)
    }
}
