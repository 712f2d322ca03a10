import Synchronization

/// The control routes under `/_fake/`, for scripts that drive the fake over HTTP.
///
/// They need no API key, take no faults and are not recorded in the ledger. `POST /_fake/faults` takes
/// `{"route": "setAll", "faults": [...], "customer": "acme"}`; without `customer` the faults wait for any request
/// on the route.
extension FakeService {
    func control(_ request: HTTPRequest, requestID: String) -> HTTPResponse {
        do {
            let result = try controlResult(request)
            return HTTPResponse(status: 200, json: result, requestID: requestID)
        } catch {
            return HTTPResponse(error: error, requestID: requestID)
        }
    }

    private func controlResult(_ request: HTTPRequest) throws(APIError) -> JSONValue {
        switch (request.method, request.path) {
        case ("POST", "/_fake/customers"):
            let body = try ControlBody(request.body)
            let id = try body.text("id")
            let plan = try body.counts("plan")
            let subscribed = try body.flag("subscribed", default: true)
            state.withLock { $0.book.addCustomer(id, plan: plan, subscribed: subscribed) }
        case ("POST", "/_fake/features"):
            let codes = try ControlBody(request.body).texts("codes")
            state.withLock { $0.book.addOrganizationFeatures(codes) }
        case ("GET", "/_fake/balances"):
            guard let customer = request.query["customerId"] else { throw ControlBody.missing("customerId") }
            return .object(state.withLock { $0.book.storedBalances(of: customer) }.mapValues(JSONValue.integer))
        case ("POST", "/_fake/balance"):
            let body = try ControlBody(request.body)
            let (customer, feature, count) = (
                try body.text("customer"), try body.text("feature"), try body.count("count")
            )
            state.withLock { $0.book.setBalance(customer: customer, feature: feature, count: count) }
        case ("POST", "/_fake/defer-decreases"):
            let customer = try ControlBody(request.body).text("customer")
            state.withLock { $0.book.deferDecreases(for: customer) }
        case ("POST", "/_fake/rate-limit"):
            let limit = try ControlBody(request.body).count("requestsPerSecond")
            state.withLock { $0.rateWindow = limit > 0 ? RateWindow(limit: limit) : nil }
        case ("POST", "/_fake/faults"):
            let body = try ControlBody(request.body)
            let routeName = try body.text("route")
            guard let route = Route(rawValue: routeName) else {
                throw ControlBody.invalid("route", "must be one of \(Route.allCases.map(\.rawValue))")
            }
            let faults = try body.faults("faults")
            let customer = try body.optionalText("customer")
            state.withLock { $0.faults[FaultTarget(route: route, customer: customer), default: []] += faults }
        case ("GET", "/_fake/ledger"):
            return .array(state.withLock { $0.ledger.entries }.map(\.json))
        case ("POST", "/_fake/reset-ledger"):
            state.withLock { $0.ledger.reset() }
        default:
            throw APIError(
                status: 404,
                code: "not_found",
                message: "no control route \(request.method) \(request.path)"
            )
        }
        return ["ok": true]
    }
}

/// The JSON object a control request sends, with accessors that name the bad field.
private struct ControlBody {
    private let members: [String: JSONValue]

    init(_ bytes: [UInt8]) throws(APIError) {
        guard let document = try? JSONValue(parsing: bytes) else { throw .invalidJSON("it does not parse") }
        guard let members = document.objectValue else { throw Self.invalid("body", "must be a JSON object") }
        self.members = members
    }

    static func missing(_ field: String) -> APIError {
        .validation([.init(field: field, message: "is required")])
    }

    static func invalid(_ field: String, _ message: String) -> APIError {
        .validation([.init(field: field, message: message)])
    }

    func text(_ field: String) throws(APIError) -> String {
        guard let value = members[field] else { throw Self.missing(field) }
        guard let text = value.stringValue, !text.isEmpty else {
            throw Self.invalid(field, "must be a non-empty string")
        }
        return text
    }

    func optionalText(_ field: String) throws(APIError) -> String? {
        switch members[field] {
        case nil, .null?: return nil
        default: return try text(field)
        }
    }

    func count(_ field: String) throws(APIError) -> Int {
        guard let value = members[field] else { throw Self.missing(field) }
        guard let count = value.integerValue else { throw Self.invalid(field, "must be an integer") }
        return count
    }

    func flag(_ field: String, default fallback: Bool) throws(APIError) -> Bool {
        switch members[field] {
        case nil, .null?: return fallback
        case .bool(let value)?: return value
        default: throw Self.invalid(field, "must be true or false")
        }
    }

    func texts(_ field: String) throws(APIError) -> [String] {
        guard case .array(let values)? = members[field] else {
            throw Self.invalid(field, "must be an array of strings")
        }
        var texts: [String] = []
        for value in values {
            guard let text = value.stringValue else { throw Self.invalid(field, "must be an array of strings") }
            texts.append(text)
        }
        return texts
    }

    func counts(_ field: String) throws(APIError) -> [String: Int] {
        guard let object = members[field]?.objectValue else { throw Self.invalid(field, "must be an object of counts") }
        var counts: [String: Int] = [:]
        for (code, value) in object {
            guard let count = value.integerValue, count >= 0 else {
                throw Self.invalid("\(field).\(code)", "must be a non-negative integer")
            }
            counts[code] = count
        }
        return counts
    }

    /// Faults as `{"status": 503, "code": "internal_error", "retryAfter": "1"}`,
    /// `{"status": 502, "body": "<html>Bad Gateway</html>"}`, `{"status": 200, "json": "{\"success\": false}"}`,
    /// `{"delayMs": 500}`, `{"drop": "afterApplying"}`, `{"drop": "beforeHandling"}` or
    /// `{"echo": "apiKeyAsRequestID"}`.
    func faults(_ field: String) throws(APIError) -> [Fault] {
        guard case .array(let values)? = members[field] else { throw Self.invalid(field, "must be an array of faults") }
        var faults: [Fault] = []
        for (index, value) in values.enumerated() {
            let name = "\(field)[\(index)]"
            guard let fault = value.objectValue.flatMap(Self.fault) else {
                throw Self.invalid(
                    name,
                    "must be {status, code}, {status, body}, {status, json}, {delayMs}, {drop} or {echo}"
                )
            }
            faults.append(fault)
        }
        return faults
    }

    private static func fault(_ members: [String: JSONValue]) -> Fault? {
        if let status = members["status"]?.integerValue {
            if let code = members["code"]?.stringValue {
                return .status(status, code: code, retryAfter: members["retryAfter"]?.stringValue)
            }
            if let json = members["json"]?.stringValue {
                return .json(status, body: json)
            }
            return members["body"]?.stringValue.map { .nonJSON(status, body: $0) }
        }
        if members["echo"]?.stringValue == "apiKeyAsRequestID" {
            return .echoAPIKeyAsRequestID
        }
        if let milliseconds = members["delayMs"]?.integerValue {
            return .delay(.milliseconds(milliseconds))
        }
        switch members["drop"]?.stringValue {
        case "afterApplying": return .dropAfterApplying
        case "beforeHandling": return .dropBeforeHandling
        default: return nil
        }
    }
}
