import Synchronization

/// A client-wide request rate limit: every attempt, retries included, waits here for its turn.
final class RateLimiter: Sendable {
    private let bucket: Mutex<TokenBucket>
    private let clock = ContinuousClock()
    private let origin: ContinuousClock.Instant

    /// - Parameter requestsPerSecond: the rate to hold to when Commet is not pushing back.
    init(requestsPerSecond: Double) {
        origin = clock.now
        bucket = Mutex(TokenBucket(rate: requestsPerSecond, now: 0))
    }

    /// Waits until the next request may be sent.
    /// - Throws: `CancellationError` when the task is cancelled while waiting.
    func acquire() async throws {
        let now = secondsSinceOrigin
        let wait = bucket.withLock { $0.reserve(now: now) }
        if wait > 0 {
            try await Task.sleep(for: .seconds(wait))
        }
    }

    /// Slows every later request down after Commet answered 429.
    func slowDown() {
        let now = secondsSinceOrigin
        bucket.withLock { $0.slowDown(now: now) }
    }

    /// The slowest rate, in requests per second, that Commet's 429s have brought the client down to. Not the rate
    /// in force now: that climbs back on its own after a while, which a loaded machine can make any while.
    var lowestRate: Double {
        bucket.withLock { $0.lowestRate }
    }

    private var secondsSinceOrigin: Double { (clock.now - origin).inSeconds }
}
