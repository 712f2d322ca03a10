import Testing

@testable import CommetSeats

struct ResponseReaderTests {
    static let reader = ResponseReader(
        operation: .balances,
        customerID: "acme",
        apiKey: APIKey("sk_test_secret"),
        now: 1_795_608_000
    )

    static func response(_ status: Int, _ body: String, headers: [(String, String)] = []) -> HTTPResponse {
        HTTPResponse(
            status: status,
            headers: HTTPHeaders([("x-request-id", "req_1")] + headers.map { (name: $0.0, value: $0.1) }),
            body: Array(body.utf8),
            connectionsOpened: 0
        )
    }

    /// Enveloped and bare bodies decode to the same balance; unknown keys are ignored; `used` stands in for a
    /// missing `current`, but never overrides it.
    @Test(arguments: [
        #"{"object":"seat_balance","current":3,"asOf":"2026-11-25T12:00:00Z","livemode":false,"new":1}"#,
        #"{"success":true,"data":{"object":"seat_balance","current":3,"asOf":"2026-11-25T12:00:00Z","livemode":false}}"#,
        #"{"included":5,"used":3,"asOf":"2026-11-25T12:00:00Z","livemode":false}"#,
        #"{"current":3,"used":4,"asOf":"2026-11-25T12:00:00Z","livemode":false}"#,
    ])
    func decodesBalanceShapes(body: String) throws {
        let balance = try Self.reader.read(Self.response(200, body), as: SeatBalance.self).get()
        #expect(balance == SeatBalance(current: 3, asOf: "2026-11-25T12:00:00Z", livemode: false))
    }

    /// setAll's list decodes from the bare list object, the enveloped one, and an enveloped bare array.
    @Test(arguments: [
        #"{"object":"list","data":[{"id":"se_1","customerId":"acme","featureCode":"editor","newBalance":2}],"hasMore":false}"#,
        #"{"success":true,"data":{"object":"list","data":[{"id":"se_1","customerId":"acme","featureCode":"editor","newBalance":2}]}}"#,
        #"{"success":true,"data":[{"id":"se_1","customerId":"acme","featureCode":"editor","newBalance":2}]}"#,
    ])
    func decodesEventLists(body: String) throws {
        let list = try Self.reader.read(Self.response(200, body), as: SeatEventList.self).get()
        #expect(list.events.map(\.newBalance) == [2])
        #expect(list.events.first?.previousBalance == nil)
    }

    static func failure<Value>(_ result: Result<Value, CommetError>) -> CommetError? {
        guard case .failure(let error) = result else { return nil }
        return error
    }

    /// A success body without the payload's required fields is a decoding error that says which field.
    @Test func reportsTheMissingField() throws {
        let body = #"{"success":true,"data":{"asOf":"x"}}"#
        let error = try #require(Self.failure(Self.reader.read(Self.response(200, body), as: SeatBalance.self)))
        #expect(error.kind == .decoding)
        #expect(error.status == 200)
        #expect(error.requestID == "req_1")
        #expect(error.message == #"missing "used" at .data"#)
        #expect(!error.isRetryable)
    }

    /// A body that is not JSON at all on a 200 is a decoding error too.
    @Test func reportsNonJSONSuccess() throws {
        let error = try #require(Self.failure(Self.reader.read(Self.response(200, "<html>"), as: SeatBalance.self)))
        #expect(
            error.description == "balances customer=acme: HTTP 200 response not understood: not JSON [request_id=req_1]"
        )
    }

    /// The nested error object, the same keys at the top level, and `{"error": "text"}` all fill the error.
    @Test(arguments: [
        #"{"error":{"type":"not_found_error","code":"customer_not_found","message":"Customer not found","doc_url":"https://commet.co/docs/errors"}}"#,
        #"{"type":"not_found_error","code":"customer_not_found","message":"Customer not found","doc_url":"https://commet.co/docs/errors"}"#,
        #"{"success":false,"error":{"type":"not_found_error","code":"customer_not_found","message":"Customer not found","docUrl":"https://commet.co/docs/errors"}}"#,
    ])
    func readsErrorBodies(body: String) {
        let error = Self.reader.error(from: Self.response(404, body))
        #expect(error.kind == .http)
        #expect(error.status == 404)
        #expect(error.type == "not_found_error")
        #expect(error.code == "customer_not_found")
        #expect(error.message == "Customer not found")
        #expect(error.docURL == "https://commet.co/docs/errors")
        #expect(error.requestID == "req_1")
        #expect(
            error.description
                == "balances customer=acme: HTTP 404 customer_not_found (not_found_error): Customer not found [request_id=req_1]"
        )
    }

    /// A validation error keeps its param and per-field details, and shows them in its description.
    @Test func readsValidationDetails() {
        let body = #"""
            {"error":{"type":"validation_error","code":"validation_error","message":"Invalid request","param":"count",
            "details":[{"field":"count","message":"must be a non-negative integer"}]}}
            """#
        let error = Self.reader.error(from: Self.response(422, body))
        #expect(error.param == "count")
        #expect(error.details == [FieldError(field: "count", message: "must be a non-negative integer")])
        #expect(
            error.description
                == "balances customer=acme: HTTP 422 validation_error (validation_error): Invalid request "
                + "(param=count; count: must be a non-negative integer) [request_id=req_1]"
        )
    }

    /// A body that is not JSON becomes a short one-line quote; the status stays.
    @Test(arguments: [
        ("<html>\n<body>Bad   Gateway</body>\n</html>", "body: <html> <body>Bad Gateway</body> </html>"),
        ("", "empty response body"),
        (String(repeating: "x", count: 500), "body: " + String(repeating: "x", count: 200) + "..."),
    ])
    func quotesNonJSONBodies(body: String, message: String) {
        let error = Self.reader.error(from: Self.response(502, body))
        #expect(error.status == 502)
        #expect(error.message == message)
        #expect(error.code == nil)
    }

    /// A server that echoes the key back does not get it into the error.
    @Test func redactsTheKeyFromServerText() {
        let error = Self.reader.error(
            from: Self.response(401, #"{"error":{"code":"unauthorized","message":"bad key sk_test_secret"}}"#)
        )
        #expect(error.message == "bad key [REDACTED]")
        #expect(!error.description.contains("sk_test_secret"))
    }

    /// Retry-After is read as seconds or as a date; a redirect is reported, not followed.
    @Test func readsRetryAfterAndRedirects() {
        let limited = Self.reader.error(
            from: Self.response(429, #"{"error":{"code":"rate_limited"}}"#, headers: [("Retry-After", "2")])
        )
        #expect(limited.retryAfter == .seconds(2))
        #expect(limited.isRetryable)
        let dated = Self.reader.error(
            from: Self.response(503, "", headers: [("retry-after", "Wed, 25 Nov 2026 12:00:07 GMT")])
        )
        #expect(dated.retryAfter == .seconds(7))
        let moved = Self.reader.error(from: Self.response(301, "", headers: [("Location", "https://evil.example/")]))
        #expect(moved.message == "unexpected redirect to https://evil.example/ (not followed)")
        #expect(!moved.isRetryable)
    }
}
