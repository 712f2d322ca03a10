import Testing

@testable import CommetSeats

struct CommetErrorTests {
    /// Each kind reads as one line with operation, customer, what happened and the request context.
    @Test(arguments: [
        (
            CommetError(
                kind: .http,
                message: "Customer not found",
                operation: .setAll,
                customerID: "acme",
                status: 404,
                type: "not_found_error",
                code: "customer_not_found",
                requestID: "req_123",
                attempts: 1
            ),
            "setAll customer=acme: HTTP 404 customer_not_found (not_found_error): Customer not found "
                + "[request_id=req_123, attempts=1]"
        ),
        (
            CommetError(
                kind: .http,
                message: "Too many requests",
                operation: .balances,
                customerID: "acme",
                status: 429,
                code: "rate_limited",
                requestID: "req_9",
                retryAfter: .seconds(1.5),
                attempts: 4
            ),
            "balances customer=acme: HTTP 429 rate_limited: Too many requests "
                + "[request_id=req_9, retry_after=1.5 s, attempts=4]"
        ),
        (
            CommetError(kind: .timeout, message: "no complete response within 30 s", operation: .set, attempts: 4),
            "set: timed out: no complete response within 30 s [attempts=4]"
        ),
        (
            CommetError(kind: .configuration, message: "the API key is empty", operation: .configure),
            "configure: invalid configuration: the API key is empty"
        ),
    ])
    func describesItselfInOneLine(error: CommetError, line: String) {
        #expect(error.description == line)
    }

    /// Operations print as the names log lines (`operation=setAll`) and error lines showed when they were strings.
    @Test func operationsKeepTheirNames() {
        #expect(
            CommetOperation.allCases.map(\.description)
                == ["add", "remove", "set", "setAll", "balance", "balances", "configure"]
        )
    }

    /// The key never prints, neither alone nor inside a configuration.
    @Test func apiKeyIsRedacted() {
        let key = APIKey("sk_live_abcdef")
        let configuration = CommetConfiguration(apiKey: key)
        #expect("\(key)" == "APIKey(redacted)")
        #expect(String(reflecting: key) == "APIKey(redacted)")
        #expect(!"\(configuration)".contains("sk_live_abcdef"))
        var dumped = ""
        dump(configuration, to: &dumped)
        #expect(!dumped.contains("sk_live_abcdef"))
    }

    /// The successor of a deprecated endpoint is read from its Link header.
    @Test(arguments: [
        (#"<https://commet.co/api/v1/seats>; rel="successor-version""#, "https://commet.co/api/v1/seats"),
        (#"<https://a>; rel="help", <https://b>; rel="successor-version""#, "https://b"),
        (#"<https://a>; rel="alternate""#, "https://a"),
        (#"<https://a>; rel="help""#, nil),
    ])
    func findsTheSuccessorLink(header: String, successor: String?) {
        #expect(LinkHeader.successor(in: header) == successor)
    }
}
