/// How the client retries a failed request: exponential backoff with jitter, and `Retry-After` honoured up to a cap.
public struct RetryPolicy: Sendable, Hashable {
    /// Retries after the first attempt; a request is sent at most `maxRetries + 1` times.
    public var maxRetries: Int
    /// The wait before the first retry; each further retry doubles it.
    public var baseDelay: Duration
    /// The longest backoff wait.
    public var maxDelay: Duration
    /// The longest wait a server's `Retry-After` can impose.
    public var maxRetryAfter: Duration
    /// The fraction (0...1) by which a backoff wait is randomly shortened, so clients do not retry in lockstep.
    public var jitter: Double

    /// Creates a policy; the defaults match the official Commet SDKs (3 retries, 1 s, 2 s, 4 s, capped at 8 s).
    public init(
        maxRetries: Int = 3,
        baseDelay: Duration = .seconds(1),
        maxDelay: Duration = .seconds(8),
        maxRetryAfter: Duration = .seconds(30),
        jitter: Double = 0.2
    ) {
        self.maxRetries = maxRetries
        self.baseDelay = baseDelay
        self.maxDelay = maxDelay
        self.maxRetryAfter = maxRetryAfter
        self.jitter = jitter
    }

    /// A policy that never retries.
    public static let never = RetryPolicy(maxRetries: 0)

    /// The wait before sending attempt `attempt + 1`, or nil when `error` must not be retried or the retries are
    /// spent.
    /// - Parameters:
    ///   - attempt: the attempt that just failed, counting from 1.
    ///   - error: how it failed.
    ///   - jitterSample: a random number in `0..<1`.
    func delay(afterAttempt attempt: Int, failedWith error: CommetError, jitterSample: Double) -> Duration? {
        guard attempt <= maxRetries, error.isRetryable else { return nil }
        if let retryAfter = error.retryAfter {
            return min(retryAfter, maxRetryAfter)
        }
        return backoff(retry: attempt - 1, jitterSample: jitterSample)
    }

    /// `baseDelay * 2^retry`, capped at `maxDelay`, then shortened by up to `jitter` of itself.
    func backoff(retry: Int, jitterSample: Double) -> Duration {
        var delay = baseDelay
        for _ in 0..<max(0, retry) where delay < maxDelay {
            delay *= 2
        }
        let capped = min(delay, maxDelay)
        let spread = min(max(jitter, 0), 1) * min(max(jitterSample, 0), 1)
        return .seconds(capped.inSeconds * (1 - spread))
    }
}
