/// Everything the fake remembers, shared by the connection threads under one lock.
struct FakeState {
    var book = SeatBook()
    var ledger = Ledger()
    var faults: [Route: [Fault]] = [:]
    var idempotency = IdempotencyStore()
    var rateWindow: RateWindow?
    var observer: (@Sendable (LedgerEntry) -> Void)?

    /// Takes the next injected fault for a route, if any is queued.
    mutating func nextFault(for route: Route) -> Fault? {
        guard let queue = faults[route], !queue.isEmpty else { return nil }
        return faults[route]!.removeFirst()
    }

    /// Counts a request against the rate limit, when one is set.
    /// - Returns: the limit and whether the request is admitted; `nil` without a limit.
    mutating func admitToRateWindow(at now: ContinuousClock.Instant) -> (limit: Int, decision: RateWindow.Decision)? {
        guard rateWindow != nil else { return nil }
        return (rateWindow!.limit, rateWindow!.admit(at: now))
    }
}
