/// The arithmetic of the client's rate limit, on a clock given in seconds so it can be tested without waiting.
///
/// Each request takes one token; tokens refill at the current rate up to `capacity`. A request that finds no
/// token still takes one (the balance goes negative) and is told how long to wait, so waiting requests are
/// served in the order they asked. After a 429 the rate halves (at most once per `slowdownSpacing`, so a burst
/// of 429s from requests already in flight counts once), stays there for `hold`, then climbs back linearly.
struct TokenBucket: Sendable {
    let configuredRate: Double
    let capacity: Double
    let hold: Double
    let recoveryPerSecond: Double
    let slowdownSpacing: Double
    let minimumRate: Double

    private var tokens: Double
    private var lastRefill: Double
    private var slowedRate: Double?
    private var lastSlowdown = -Double.infinity
    /// The slowest rate a 429 brought the bucket down to; `configuredRate` until the first.
    private(set) var lowestRate: Double

    /// - Parameters:
    ///   - rate: requests per second.
    ///   - capacity: the burst a quiet bucket allows; 1 spaces every request evenly.
    ///   - hold: seconds the halved rate holds after the last 429.
    ///   - recoveryPerSecond: the fraction of `rate` regained per second after the hold.
    ///   - now: the current time in seconds.
    init(
        rate: Double,
        capacity: Double = 1,
        hold: Double = 10,
        recoveryPerSecond: Double = 0.1,
        slowdownSpacing: Double = 1,
        now: Double
    ) {
        configuredRate = rate
        self.capacity = capacity
        self.hold = hold
        self.recoveryPerSecond = recoveryPerSecond
        self.slowdownSpacing = slowdownSpacing
        minimumRate = rate / 16
        lowestRate = rate
        tokens = capacity
        lastRefill = now
    }

    /// The rate in force at `now`.
    func rate(at now: Double) -> Double {
        guard let slowedRate else { return configuredRate }
        let recovering = now - lastSlowdown - hold
        guard recovering > 0 else { return slowedRate }
        return min(configuredRate, slowedRate + recovering * recoveryPerSecond * configuredRate)
    }

    /// Takes a token and returns the seconds to wait before using it.
    mutating func reserve(now: Double) -> Double {
        refill(now: now)
        tokens -= 1
        return tokens >= 0 ? 0 : -tokens / rate(at: now)
    }

    /// Halves the rate after a 429.
    mutating func slowDown(now: Double) {
        refill(now: now)
        guard now - lastSlowdown >= slowdownSpacing else { return }
        let slowed = max(minimumRate, rate(at: now) / 2)
        slowedRate = slowed
        lowestRate = min(lowestRate, slowed)
        lastSlowdown = now
    }

    private mutating func refill(now: Double) {
        let elapsed = max(0, now - lastRefill)
        tokens = min(capacity, tokens + elapsed * rate(at: now))
        lastRefill = max(lastRefill, now)
        if slowedRate != nil, rate(at: now) >= configuredRate {
            slowedRate = nil
        }
    }
}
