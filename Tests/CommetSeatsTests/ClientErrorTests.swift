import CommetFake
import Logging
import Testing

@testable import CommetSeats

/// Every error code of the contract's table, as the fake produces it, mapped to a ``CommetError``.
struct ClientErrorTests {
    /// A request the fake refuses on its own merits.
    struct Refusal: Sendable, CustomTestStringConvertible {
        var name: String
        var status: Int
        var code: String
        var type: String
        var call: @Sendable (CommetSeatsClient) async throws -> Void

        var testDescription: String { name }
    }

    static let refusals: [Refusal] = [
        Refusal(name: "unknown customer", status: 404, code: "customer_not_found", type: "not_found_error") {
            _ = try await $0.balances(customerID: "nobody")
        },
        Refusal(name: "lapsed customer", status: 404, code: "no_active_subscription", type: "not_found_error") {
            _ = try await $0.balance(customerID: "lapsed", featureCode: "editor")
        },
        Refusal(name: "unknown feature", status: 404, code: "feature_not_found", type: "not_found_error") {
            _ = try await $0.set(customerID: "acme", featureCode: "ghost", count: 1)
        },
        Refusal(name: "feature off plan", status: 409, code: "feature_not_in_plan", type: "billing_error") {
            _ = try await $0.setAll(customerID: "acme", seats: ["auditor": 1])
        },
        Refusal(name: "below zero", status: 409, code: "insufficient_seats", type: "billing_error") {
            _ = try await $0.remove(customerID: "acme", featureCode: "admin", count: 2)
        },
        Refusal(name: "key reused", status: 409, code: "idempotency_key_mismatch", type: "conflict_error") {
            _ = try await $0.add(customerID: "acme", featureCode: "editor", count: 1, idempotencyKey: "k-1")
            _ = try await $0.add(customerID: "acme", featureCode: "editor", count: 2, idempotencyKey: "k-1")
        },
    ]

    /// Each refusal becomes an HTTP error with Commet's status, code, type, message and the request id of the
    /// refusing request, after one attempt, and nothing changes.
    @Test(arguments: refusals)
    func mapsRefusals(refusal: Refusal) async throws {
        let harness = try Harness()
        let before = harness.fake.balances(of: "acme")
        let error = try #require(await commetError { try await refusal.call(harness.client) })
        let last = try #require(harness.fake.ledger.last)
        #expect(error.kind == .http)
        #expect(error.status == refusal.status)
        #expect(error.code == refusal.code)
        #expect(error.type == refusal.type)
        #expect(!error.message.isEmpty)
        #expect(error.docURL == "https://commet.co/docs/errors/\(refusal.code)")
        #expect(error.requestID == last.requestID)
        #expect(error.attempts == 1)
        #expect(!error.isRetryable)
        #expect(last.status == refusal.status)
        #expect(error.description.contains("HTTP \(refusal.status) \(refusal.code) (\(refusal.type)): "))
        #expect(error.description.hasSuffix("[request_id=\(last.requestID ?? ""), attempts=1]"))
        if refusal.code != "idempotency_key_mismatch" {
            #expect(harness.fake.balances(of: "acme") == before)
        }
    }

    /// A wrong API key -> 401 unauthorized, not retried, and the key appears nowhere in the error.
    @Test func wrongKeyIsUnauthorized() async throws {
        let harness = try Harness(key: "sk_test_wrong_key_123")
        let error = try #require(await commetError { try await harness.client.balances(customerID: "acme") })
        #expect(error.status == 401)
        #expect(error.code == "unauthorized")
        #expect(error.type == "authentication_error")
        #expect(error.requestID == harness.fake.ledger.only?.requestID)
        #expect(harness.fake.ledger.count == 1)
        #expect(!"\(error)".contains("sk_test_wrong_key_123"))
    }

    /// An injected error status with its code, sent once with retries off.
    struct Injected: Sendable, CustomTestStringConvertible {
        var status: Int
        var code: String
        /// The contract's type, where the fake sends it (nil: the fake's table differs from the contract's).
        var type: String?
        var retryable: Bool

        var testDescription: String { "\(status) \(code)" }
    }

    static let injected: [Injected] = [
        Injected(status: 403, code: "forbidden", type: nil, retryable: false),
        Injected(status: 400, code: "validation_error", type: "validation_error", retryable: false),
        Injected(status: 422, code: "validation_error", type: "validation_error", retryable: false),
        Injected(status: 400, code: "invalid_json", type: nil, retryable: false),
        Injected(status: 409, code: "idempotency_in_progress", type: "conflict_error", retryable: true),
        Injected(status: 429, code: "rate_limited", type: "rate_limit_error", retryable: false),
        Injected(status: 500, code: "internal_error", type: "internal_error", retryable: true),
        Injected(status: 503, code: "idempotency_unavailable", type: "internal_error", retryable: true),
    ]

    /// Each code of the table maps to the error's fields; whether it would be retried follows the table.
    @Test(arguments: injected)
    func mapsInjectedCodes(injected: Injected) async throws {
        let harness = try Harness(retry: .never)
        harness.fake.inject([.status(injected.status, code: injected.code)], on: .set)
        let error = try #require(
            await commetError { try await harness.client.set(customerID: "acme", featureCode: "editor", count: 9) }
        )
        #expect(error.kind == .http)
        #expect(error.status == injected.status)
        #expect(error.code == injected.code)
        if let type = injected.type {
            #expect(error.type == type)
        }
        #expect(error.requestID == harness.fake.ledger.only?.requestID)
        #expect(error.attempts == 1)
        #expect(error.isRetryable == injected.retryable)
        #expect(error.operation == .set)
        #expect(error.customerID == "acme")
        #expect(harness.fake.balances(of: "acme")["editor"] == 3)
    }

    /// A proxy's HTML answer keeps its status and request id; the message quotes the body.
    @Test func mapsNonJSONBodies() async throws {
        let harness = try Harness(retry: .never)
        harness.fake.inject([.nonJSON(502, body: "<html>\n<h1>Bad Gateway</h1>\n</html>")], on: .balances)
        let error = try #require(await commetError { try await harness.client.balances(customerID: "acme") })
        let requestID = try #require(harness.fake.ledger.only?.requestID)
        #expect(error.kind == .http)
        #expect(error.status == 502)
        #expect(error.code == nil)
        #expect(error.message == "body: <html> <h1>Bad Gateway</h1> </html>")
        #expect(
            error.description
                == "balances customer=acme: HTTP 502: body: <html> <h1>Bad Gateway</h1> </html> "
                + "[request_id=\(requestID), attempts=1]"
        )
    }

    /// A body over the 8 MiB cap is refused rather than buffered, and not retried.
    @Test func refusesOversizedBodies() async throws {
        let harness = try Harness()
        harness.fake.inject([.nonJSON(200, body: String(repeating: "x", count: 9 << 20))], on: .balances)
        let error = try #require(await commetError { try await harness.client.balances(customerID: "acme") })
        #expect(error.kind == .decoding)
        #expect(error.message == "response body larger than 8388608 bytes")
        #expect(error.attempts == 1)
        #expect(harness.fake.ledger.count == 1)
    }

    /// http:// to a host that is not this machine is refused when the client is made.
    @Test func refusesPlainHTTPToARemoteHost() throws {
        #expect {
            try CommetSeatsClient(
                configuration: CommetConfiguration(baseURL: "http://commet.co/api/v1", apiKey: APIKey("k")),
                logger: .init(label: "test")
            )
        } throws: { error in
            (error as? CommetError)?.kind == .configuration
                && "\(error)".contains("plain http is only allowed to a loopback host")
        }
    }

    /// Unusable settings are refused when the client is made, each with its reason.
    @Test(arguments: [
        (CommetConfiguration(apiKey: APIKey("")), "the API key is empty"),
        (CommetConfiguration(apiKey: APIKey("sk\n")), "the API key contains a line break or another control character"),
        (CommetConfiguration(apiKey: APIKey("k"), timeout: .zero), "timeout must be positive"),
        (CommetConfiguration(apiKey: APIKey("k"), requestsPerSecond: 0), "requestsPerSecond must be positive"),
        (CommetConfiguration(apiKey: APIKey("k"), caBundlePath: "/nonexistent/ca.pem"), "is not readable"),
        (CommetConfiguration(apiKey: APIKey("k"), retry: RetryPolicy(jitter: 2)), "jitter must be between"),
        (
            CommetConfiguration(apiKey: APIKey("k"), proxy: "http://user:secret@proxy.example:3128"),
            "proxy: must not carry credentials"
        ),
    ])
    func refusesUnusableSettings(configuration: CommetConfiguration, reason: String) {
        #expect {
            try CommetSeatsClient(configuration: configuration, logger: .init(label: "test"))
        } throws: { error in
            (error as? CommetError)?.kind == .configuration && "\(error)".contains(reason)
        }
    }
}
