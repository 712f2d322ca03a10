import Testing

@testable import CommetSeats

struct RetryPolicyTests {
    static func http(_ status: Int, code: String? = nil, retryAfter: Duration? = nil) -> CommetError {
        CommetError(kind: .http, message: "m", operation: .set, status: status, code: code, retryAfter: retryAfter)
    }

    /// Without jitter the backoff is 1 s, 2 s, 4 s, then capped at 8 s.
    @Test(arguments: [(0, 1), (1, 2), (2, 4), (3, 8), (4, 8), (40, 8)])
    func backoffDoublesUpToTheCap(retry: Int, seconds: Int) {
        let policy = RetryPolicy(jitter: 0)
        #expect(policy.backoff(retry: retry, jitterSample: 0.7) == .seconds(seconds))
    }

    /// Jitter only shortens a wait, by at most its fraction, so a capped wait never exceeds maxDelay.
    @Test(arguments: [0.0, 0.5, 0.999])
    func jitterShortensByAtMostItsFraction(sample: Double) {
        let policy = RetryPolicy(jitter: 0.2)
        let wait = policy.backoff(retry: 5, jitterSample: sample)
        #expect(wait <= .seconds(8))
        #expect(wait >= .seconds(6.4))
        #expect(wait == .seconds(8 * (1 - 0.2 * sample)))
    }

    /// Which failures are retried: the contract's table.
    @Test(arguments: [
        (http(408), true),
        (http(500, code: "internal_error"), true),
        (http(502), true),
        (http(503, code: "idempotency_unavailable"), true),
        (http(504), true),
        (http(429, code: "rate_limited"), false),
        (http(429, code: "rate_limited", retryAfter: .seconds(1)), true),
        (http(409, code: "idempotency_in_progress"), true),
        (http(409, code: "idempotency_key_mismatch"), false),
        (http(400, code: "validation_error"), false),
        (http(401, code: "unauthorized"), false),
        (http(403, code: "forbidden"), false),
        (http(404, code: "customer_not_found"), false),
        (http(422, code: "insufficient_seats"), false),
        (CommetError(kind: .timeout, message: "m", operation: .set), true),
        (CommetError(kind: .connection, message: "m", operation: .set), true),
        (CommetError(kind: .decoding, message: "m", operation: .set, status: 200), false),
        (CommetError(kind: .cancelled, message: "m", operation: .set), false),
    ])
    func retriesWhatTheContractSays(error: CommetError, retried: Bool) {
        let policy = RetryPolicy(jitter: 0)
        #expect(error.isRetryable == retried)
        #expect((policy.delay(afterAttempt: 1, failedWith: error, jitterSample: 0) != nil) == retried)
    }

    /// A transport failure flagged as permanent (a rejected certificate) is not retried.
    @Test func permanentConnectionFailureIsNotRetried() {
        var error = CommetError(kind: .connection, message: "SSL certificate problem", operation: .set)
        error.isTransient = false
        #expect(!error.isRetryable)
    }

    /// Retry-After is waited exactly (no jitter), capped at maxRetryAfter.
    @Test(arguments: [(Duration.seconds(3), Duration.seconds(3)), (.seconds(90), .seconds(30))])
    func retryAfterIsHonouredUpToTheCap(retryAfter: Duration, expected: Duration) {
        let policy = RetryPolicy(jitter: 0.2)
        let error = Self.http(429, code: "rate_limited", retryAfter: retryAfter)
        #expect(policy.delay(afterAttempt: 1, failedWith: error, jitterSample: 0.9) == expected)
    }

    /// maxRetries 3 allows attempts 1, 2 and 3 to be retried; after attempt 4 the error stands.
    @Test func stopsAfterMaxRetries() {
        let policy = RetryPolicy(maxRetries: 3, jitter: 0)
        let error = Self.http(503)
        #expect(policy.delay(afterAttempt: 3, failedWith: error, jitterSample: 0) == .seconds(4))
        #expect(policy.delay(afterAttempt: 4, failedWith: error, jitterSample: 0) == nil)
        #expect(RetryPolicy.never.delay(afterAttempt: 1, failedWith: error, jitterSample: 0) == nil)
    }
}

struct DurationTextTests {
    /// Waits print in seconds to the millisecond, without trailing zeros.
    @Test(arguments: [
        (Duration.seconds(30), "30 s"), (.milliseconds(1500), "1.5 s"), (.milliseconds(5), "0.005 s"),
        (.milliseconds(1234.4), "1.234 s"), (.zero, "0 s"), (.milliseconds(20), "0.02 s"),
    ])
    func printsSeconds(duration: Duration, text: String) {
        #expect(duration.secondsText == text)
    }
}
