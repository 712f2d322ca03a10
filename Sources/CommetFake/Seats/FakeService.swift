import Foundation
import Synchronization

/// Answers requests the way Commet's seat API does, with the faults, idempotency store,
/// rate limit and ledger of a test fake around it.
final class FakeService: Sendable {
    /// An answer to one request and what it did; no response means the connection is dropped.
    private struct Reply {
        var response: HTTPResponse?
        var applied = false
        var replayed = false
    }

    let state = Mutex(FakeState())
    private let apiKey: String?
    private let latency: Duration
    private let envelope: Bool

    init(apiKey: String?, latency: Duration, envelope: Bool) {
        self.apiKey = apiKey
        self.latency = latency
        self.envelope = envelope
    }

    /// Handles one request: control routes under `/_fake/`, everything else as the Commet API.
    func handle(_ request: HTTPRequest, connection: Int) -> HTTPServer.Outcome {
        if request.path.hasPrefix("/_fake/") {
            return .respond(control(request, requestID: RandomID.make(prefix: "req_")))
        }
        let endpoint = Endpoint(path: request.path)
        let route = endpoint.flatMap { Route(method: request.method, path: $0.subpath) }
        let requestID = RandomID.make(prefix: "req_")
        var entry = LedgerEntry(request: request, route: route, connection: connection, requestID: requestID)
        let arrival = state.withLock { [entry] in $0.ledger.append(entry) }
        Self.pause(latency)
        var reply: Reply
        if let endpoint, let route {
            reply = answer(request, route: route, endpoint: endpoint, customer: entry.customerID, requestID: requestID)
        } else {
            let error = APIError(
                status: 404,
                code: "not_found",
                message: "no endpoint \(request.method) \(request.path)"
            )
            reply = Reply(response: HTTPResponse(error: error, requestID: requestID))
        }
        reply.response?.headers += endpoint?.deprecationHeaders ?? []
        entry.status = reply.response?.status ?? 0
        entry.applied = reply.applied
        entry.replayed = reply.replayed
        let observer = state.withLock { [entry] state in
            state.ledger.replace(arrival, with: entry)
            return state.observer
        }
        observer?(entry)
        return reply.response.map(HTTPServer.Outcome.respond) ?? .drop
    }

    /// Acts out an injected fault, then checks the key and the rate limit, then handles.
    private func answer(
        _ request: HTTPRequest,
        route: Route,
        endpoint: Endpoint,
        customer: String?,
        requestID: String
    ) -> Reply {
        var delay = Duration.zero
        var dropsAfterApplying = false
        var requestID = requestID
        let fault = state.withLock { $0.nextFault(for: route, customer: customer) }
        switch fault {
        case .status(let status, let code, let retryAfter):
            let error = APIError(status: status, code: code, message: "injected fault", retryAfter: retryAfter)
            return Reply(response: HTTPResponse(error: error, requestID: requestID))
        case .nonJSON(let status, let body), .json(let status, let body):
            let contentType = if case .json? = fault { "application/json" } else { "text/html" }
            return Reply(
                response: HTTPResponse(
                    status: status,
                    contentType: contentType,
                    body: Array(body.utf8),
                    requestID: requestID
                )
            )
        case .dropBeforeHandling:
            return Reply(response: nil)
        case .delay(let duration):
            delay = duration
        case .dropAfterApplying:
            dropsAfterApplying = true
        case .echoAPIKeyAsRequestID:
            requestID = request.header("x-api-key") ?? requestID
        case nil:
            break
        }
        if let apiKey, request.header("x-api-key") != apiKey {
            let error = APIError(status: 401, code: "unauthorized", message: "missing or invalid x-api-key")
            return Reply(response: HTTPResponse(error: error, requestID: requestID))
        }
        var rateHeaders: [(name: String, value: String)] = []
        if let (limit, decision) = state.withLock({ $0.admitToRateWindow(at: .now) }) {
            switch decision {
            case .limited:
                let error = APIError(
                    status: 429,
                    code: "rate_limited",
                    message: "more than \(limit) requests in one second",
                    retryAfter: "1"
                )
                var response = HTTPResponse(error: error, requestID: requestID)
                response.headers += Self.rateHeaders(limit: limit, remaining: 0)
                return Reply(response: response)
            case .admitted(let remaining):
                rateHeaders = Self.rateHeaders(limit: limit, remaining: remaining)
            }
        }
        var reply = handleAdmitted(request, route: route, endpoint: endpoint, requestID: requestID, delay: delay)
        reply.response?.headers += rateHeaders
        if dropsAfterApplying {
            reply.response = nil
        }
        return reply
    }

    /// Handles a request that passed the fault, key and rate checks, through the idempotency store.
    private func handleAdmitted(
        _ request: HTTPRequest,
        route: Route,
        endpoint: Endpoint,
        requestID: String,
        delay: Duration
    ) -> Reply {
        let key = route.isWrite ? request.header("Idempotency-Key") : nil
        if let key {
            let fingerprint = IdempotencyStore.Fingerprint(
                method: request.method,
                path: endpoint.subpath,
                body: request.body
            )
            switch state.withLock({ $0.idempotency.claim(key, for: fingerprint) }) {
            case .claimed:
                break
            case .mismatch:
                return Reply(response: HTTPResponse(error: .idempotencyKeyMismatch(key), requestID: requestID))
            case .inProgress:
                return Reply(response: HTTPResponse(error: .idempotencyInProgress(key), requestID: requestID))
            case .replay(let stored):
                var response = HTTPResponse(
                    status: stored.status,
                    contentType: "application/json",
                    body: stored.body,
                    requestID: requestID
                )
                response.headers.append(("Idempotent-Replayed", "true"))
                return Reply(response: response, replayed: true)
            }
        }
        Self.pause(delay)
        let (status, body, applied) = execute(route: route, request: request)
        if let key {
            state.withLock { $0.idempotency.finish(key, with: .init(status: status, body: body)) }
        }
        return Reply(
            response: HTTPResponse(status: status, contentType: "application/json", body: body, requestID: requestID),
            applied: applied
        )
    }

    /// Validates and carries out one seat operation.
    /// - Returns: the status and body to answer with, and whether a write was carried out.
    private func execute(route: Route, request: HTTPRequest) -> (status: Int, body: [UInt8], applied: Bool) {
        let now = Date()
        do {
            switch try SeatOperation(route: route, body: request.body, query: request.query) {
            case .write(let write):
                let changes = try state.withLock { state throws(APIError) in try state.book.apply(write) }
                let payload =
                    write.kind == .setAll
                    ? SeatPayload.eventList(changes, customerID: write.customerID, at: now)
                    : SeatPayload.event(changes[0], customerID: write.customerID, at: now)
                return (200, success(payload), true)
            case .balance(let customer, let feature):
                let current = try state.withLock { state throws(APIError) in
                    try state.book.balance(customer: customer, feature: feature)
                }
                return (200, success(SeatPayload.balance(current, at: now)), false)
            case .balances(let customer):
                let balances = try state.withLock { state throws(APIError) in try state.book.balances(of: customer) }
                return (200, success(SeatPayload.balanceCollection(balances, at: now)), false)
            }
        } catch {
            return (error.status, error.body.encoded, false)
        }
    }

    private func success(_ payload: JSONValue) -> [UInt8] {
        (envelope ? ["success": true, "data": payload] : payload).encoded
    }

    private static func rateHeaders(limit: Int, remaining: Int) -> [(name: String, value: String)] {
        [("RateLimit-Limit", "\(limit)"), ("RateLimit-Remaining", "\(remaining)"), ("RateLimit-Reset", "1")]
    }

    private static func pause(_ duration: Duration) {
        guard duration > .zero else { return }
        let (seconds, attoseconds) = duration.components
        Thread.sleep(forTimeInterval: Double(seconds) + Double(attoseconds) / 1e18)
    }
}
