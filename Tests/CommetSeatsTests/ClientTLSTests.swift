import CommetFake
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

    /// https to a plain-http server that waits silently for a request head (the fake; a ClientHello never ends
    /// one) -> after the connect timeout, one connection error that names host and port and asks whether it is
    /// plain http; not retried, since another attempt meets the same server.
    @Test func httpsToAPlainHTTPServerThatWaitsIsReportedAfterOneAttempt() async throws {
        let fake = try FakeCommet()
        defer { fake.stop() }
        let client = try CommetSeatsClient(
            configuration: CommetConfiguration(
                baseURL: "https://127.0.0.1:\(fake.port)/api/v1",
                apiKey: APIKey("sk_test_tls"),
                connectTimeout: .seconds(1),
                retry: .quick
            ),
            logger: Logger(label: "test")
        )
        let error = try #require(await commetError { try await client.balances(customerID: "acme") })
        #expect(error.kind == .connection)
        #expect(error.attempts == 1)
        #expect(!error.isRetryable)
        #expect(
            error.message.hasPrefix(
                "the server at 127.0.0.1:\(fake.port) did not answer the TLS handshake; is it plain http? ("
            ),
            "\(error)"
        )
        #expect(fake.connectionsAccepted == 1)
    }

    /// https to a plain-http server that answers the ClientHello with a 400 page -> at once the same error, after
    /// one attempt.
    @Test func httpsToAPlainHTTPServerThatAnswersIsReportedAfterOneAttempt() async throws {
        let server = try RecordingPort(
            reply: "HTTP/1.1 400 Bad Request\r\nContent-Length: 11\r\nConnection: close\r\n\r\nBad Request"
        )
        let client = try Self.client("https://127.0.0.1:\(server.port)/api/v1", caBundlePath: nil)
        let error = try #require(await commetError { try await client.balances(customerID: "acme") })
        #expect(error.kind == .connection)
        #expect(error.attempts == 1)
        #expect(
            error.message.hasPrefix(
                "the server at 127.0.0.1:\(server.port) did not answer the TLS handshake; is it plain http? ("
            ),
            "\(error)"
        )
        #expect(server.connections == 1)
    }
}
