import Synchronization

/// A fake Commet seats server on 127.0.0.1 for tests and scripts.
///
/// It serves the six seat operations under `/api/v1` (and the deprecated `/api`), keeps
/// customers, plans and balances in memory, enforces Commet's rules and idempotency keys,
/// and records every request in a ``ledger``. Faults injected per ``Route`` make it fail
/// the way a real server or the network in front of it does. Control routes under
/// `/_fake/` drive the same state over HTTP.
///
/// An API request meets, in order: the latency, its route's next injected fault, the API
/// key check, the rate limit, the idempotency store, then validation and Commet's rules.
package final class FakeCommet: Sendable {
    private let server: HTTPServer
    private let service: FakeService

    /// Starts a fake listening on 127.0.0.1.
    /// - Parameters:
    ///   - port: the port to listen on; 0 lets the kernel choose one (see ``port``).
    ///   - apiKey: when set, every API request must carry it as `x-api-key`.
    ///   - latency: a pause before every API request is handled.
    ///   - envelope: wrap success bodies as `{"success": true, "data": ...}`; `false` sends them bare.
    /// - Throws: ``SocketError`` when the port cannot be bound.
    package init(port: UInt16 = 0, apiKey: String? = nil, latency: Duration = .zero, envelope: Bool = true) throws {
        let service = FakeService(apiKey: apiKey, latency: latency, envelope: envelope)
        self.service = service
        self.server = try HTTPServer(port: port) { request, connection in
            service.handle(request, connection: connection)
        }
    }

    deinit {
        server.stop()
    }

    /// The port the fake listens on.
    package var port: UInt16 { server.port }

    /// The API root to point a client at: `http://127.0.0.1:PORT/api/v1`.
    package var baseURL: String { "http://127.0.0.1:\(port)/api/v1" }

    /// Stops listening and closes every open connection. Idempotent; also done on deinit.
    package func stop() {
        server.stop()
    }

    /// Adds a subscribed (or unsubscribed) customer, replacing one with the same id.
    /// - Parameters:
    ///   - id: the `customerId` clients will send.
    ///   - plan: the seat features on the customer's plan, with their current balances;
    ///     each becomes a seat feature of the organization.
    ///   - subscribed: `false` makes every seat request for the customer fail with `no_active_subscription`.
    package func addCustomer(_ id: String, plan: [String: Int], subscribed: Bool = true) {
        service.state.withLock { $0.book.addCustomer(id, plan: plan, subscribed: subscribed) }
    }

    /// Declares seat features that exist in the organization but are on no plan given so
    /// far: requests naming them fail with `feature_not_in_plan` instead of `feature_not_found`.
    package func addOrganizationFeatures(_ codes: [String]) {
        service.state.withLock { $0.book.addOrganizationFeatures(codes) }
    }

    /// The balances the fake holds for a customer (what a balance read would show); empty
    /// for an unknown customer.
    package func balances(of customer: String) -> [String: Int] {
        service.state.withLock { $0.book.storedBalances(of: customer) }
    }

    /// Sets a balance behind the API's back, as a dashboard edit or drift would. A feature
    /// the customer's plan lacks is added to it; an unknown customer is added, subscribed.
    package func setBalance(customer: String, feature: String, count: Int) {
        service.state.withLock { $0.book.setBalance(customer: customer, feature: feature, count: count) }
    }

    /// From now on, decreases for this customer are accepted (the SeatEvent shows the
    /// requested balance) but balances keep the old count, as Commet does when a decrease
    /// only applies at renewal. Increases still apply at once.
    package func deferDecreases(for customer: String) {
        service.state.withLock { $0.book.deferDecreases(for: customer) }
    }

    /// Admits at most this many API requests in any one-second window; the rest get `429
    /// rate_limited` with `Retry-After: 1`. Zero or less removes the limit.
    package func limitRate(requestsPerSecond: Int) {
        service.state.withLock { $0.rateWindow = requestsPerSecond > 0 ? RateWindow(limit: requestsPerSecond) : nil }
    }

    /// Queues faults for a route: each matching request consumes the next one, in order;
    /// once the queue is empty, requests behave normally again.
    /// - Parameters:
    ///   - faults: acted out one per matching request.
    ///   - route: the operation the faults wait for.
    ///   - customer: when given, only requests for this `customerId` match, so one customer can meet a fault
    ///     while others are served normally whatever order they arrive in. Such a queue is consumed before
    ///     a queue for the route alone.
    package func inject(_ faults: [Fault], on route: Route, customer: String? = nil) {
        service.state.withLock { $0.faults[FaultTarget(route: route, customer: customer), default: []] += faults }
    }

    /// Every API request received since the start or the last ``resetLedger()``, in arrival
    /// order. Control routes under `/_fake/` are not recorded.
    package var ledger: [LedgerEntry] {
        service.state.withLock { $0.ledger.entries }
    }

    /// The number of TCP connections accepted so far, control connections included.
    package var connectionsAccepted: Int { server.connectionsAccepted }

    /// Forgets the ledger; balances, faults and idempotency keys stay.
    package func resetLedger() {
        service.state.withLock { $0.ledger.reset() }
    }

    /// Whether a write holding this `Idempotency-Key` is being handled right now, for tests
    /// that must act while it is (a second request with the key meets `idempotency_in_progress`).
    package func isHandling(idempotencyKey key: String) -> Bool {
        service.state.withLock { $0.idempotency.isInProgress(key) }
    }

    /// Calls `observer` with the ledger entry of every API request once it is answered (or dropped).
    package func observeRequests(_ observer: @escaping @Sendable (LedgerEntry) -> Void) {
        service.state.withLock { $0.observer = observer }
    }
}
