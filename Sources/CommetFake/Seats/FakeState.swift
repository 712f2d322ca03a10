/// Everything the fake remembers, shared by the connection threads under one lock.
struct FakeState {
    var book = SeatBook()
    var ledger = Ledger()
    var faults: [FaultTarget: [Fault]] = [:]
    var idempotency = IdempotencyStore()
    var rateWindow: RateWindow?
    var observer: (@Sendable (LedgerEntry) -> Void)?

    /// Takes the next injected fault for a request: one queued for its customer on the route first, then one
    /// queued for the route alone.
    mutating func nextFault(for route: Route, customer: String?) -> Fault? {
        let targets = [customer.map { FaultTarget(route: route, customer: $0) }, FaultTarget(route: route)]
        for case let target? in targets where faults[target]?.isEmpty == false {
            return faults[target]!.removeFirst()
        }
        return nil
    }

    /// Counts a request against the rate limit, when one is set.
    /// - Returns: the limit and whether the request is admitted; `nil` without a limit.
    mutating func admitToRateWindow(at now: ContinuousClock.Instant) -> (limit: Int, decision: RateWindow.Decision)? {
        guard rateWindow != nil else { return nil }
        return (rateWindow!.limit, rateWindow!.admit(at: now))
    }
}

/// Which requests a queue of faults waits for: every request on a route, or only those for one customer.
struct FaultTarget: Hashable {
    var route: Route
    var customer: String?
}
