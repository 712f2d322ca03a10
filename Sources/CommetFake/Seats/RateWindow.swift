/// A sliding one-second window that admits at most `limit` requests.
///
/// Refused requests do not count, so a client that waits the `Retry-After` second gets in.
/// The window is one second long, so the wait until a slot frees is always at most one
/// second: `RateLimit-Reset` and `Retry-After` are always `1`.
struct RateWindow {
    enum Decision: Hashable {
        case admitted(remaining: Int)
        case limited
    }

    let limit: Int
    private var admitted: [ContinuousClock.Instant] = []

    init(limit: Int) {
        self.limit = limit
    }

    mutating func admit(at now: ContinuousClock.Instant) -> Decision {
        admitted.removeAll { now - $0 >= .seconds(1) }
        guard admitted.count < limit else { return .limited }
        admitted.append(now)
        return .admitted(remaining: limit - admitted.count)
    }
}
