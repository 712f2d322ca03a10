import Logging
import Testing

@testable import CommetSeats

/// TLS verification against a real HTTPS server with a self-signed certificate for `localhost`.
@Suite(.serialized)
struct ClientTLSTests {
    static func client(_ baseURL: String, caBundlePath: String?) throws -> CommetSeatsClient {
        try CommetSeatsClient(
            configuration: CommetConfiguration(
                baseURL: baseURL,
                apiKey: APIKey("sk_test_tls"),
                connectTimeout: .seconds(5),
                retry: .quick,
                caBundlePath: caBundlePath
            ),
            logger: Logger(label: "test")
        )
    }

    /// The certificate trusted through caBundlePath and the name matching -> the read succeeds.
    @Test func trustsTheConfiguredCABundle() async throws {
        let server = try TLSServer()
        let client = try Self.client("https://localhost:\(server.port)/api/v1", caBundlePath: server.certificatePath)
        let response = try await client.balances(customerID: "acme")
        #expect(response.value.balances["editor"]?.current == 3)
        #expect(response.requestID == "req_tls")
    }

    /// A certificate no trusted CA signed -> a connection error after one attempt, since retrying cannot fix it.
    @Test func refusesAnUntrustedCertificate() async throws {
        let server = try TLSServer()
        let client = try Self.client("https://localhost:\(server.port)/api/v1", caBundlePath: nil)
        let error = try #require(await commetError { try await client.balances(customerID: "acme") })
        #expect(error.kind == .connection)
        #expect(error.attempts == 1)
        #expect(!error.isRetryable)
        #expect(error.message.hasPrefix("SSL certificate problem: self-signed certificate"))
    }

    /// A trusted certificate for another name (`localhost`, reached as 127.0.0.1) -> refused, not retried.
    @Test func refusesACertificateForAnotherHost() async throws {
        let server = try TLSServer()
        let client = try Self.client("https://127.0.0.1:\(server.port)/api/v1", caBundlePath: server.certificatePath)
        let error = try #require(await commetError { try await client.balances(customerID: "acme") })
        #expect(error.kind == .connection)
        #expect(error.attempts == 1)
        #expect(error.message.contains("no alternative certificate subject name matches target host name '127.0.0.1'"))
    }
}
