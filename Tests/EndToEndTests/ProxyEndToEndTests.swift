import CommetFake
import Testing

/// Where the API key travels: only where the config says. A recording port on 127.0.0.1 plays the proxy.
@Suite struct ProxyEndToEndTests {
    /// A proxy that refuses every request, so a client that does reach it fails at once.
    static let refusal = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

    @Test func proxyVariablesInTheEnvironmentAreIgnored() async throws {
        // Input: no commet.proxy; http_proxy, HTTP_PROXY, https_proxy, all_proxy and ALL_PROXY all naming a
        // listening port; `seats balances` against the fake (plain http on 127.0.0.1).
        // Expected: exit 0 with the balances, the request in the fake's ledger, and nothing sent to the port.
        let proxy = try RecordingPort(reply: Self.refusal)
        let setup = try SeatsSetup(maxRetries: 0)
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["editor": 3])
        var environment = setup.environment
        for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
            environment[name] = "http://127.0.0.1:\(proxy.port)"
        }

        let run = try await setup.seats(["balances", "--customer", "acme"], environment: environment)
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("editor         3"))
        #expect(setup.fake.ledger.count == 1)
        #expect(proxy.connections == 0)
        #expect(proxy.received.isEmpty)
    }

    @Test func aConfiguredProxyCarriesHTTPSButNeverPlainHTTP() async throws {
        // Input: commet.proxy naming a listening port that refuses every request; `seats balances` first against
        // the fake (plain http), then, through COMMET_BASE_URL, against https://commet.example.
        // Expected: plain http goes direct (exit 0, nothing at the port); https goes through the proxy as a
        // CONNECT to commet.example:443 (exit 1, since the proxy refuses), and the key is not in what the proxy
        // received.
        let proxy = try RecordingPort(reply: Self.refusal)
        let setup = try SeatsSetup(maxRetries: 0, commet: "  proxy: http://127.0.0.1:\(proxy.port)")
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["editor": 3])
        let arguments = ["balances", "--customer", "acme"]

        let direct = try await setup.seats(arguments)
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(setup.fake.ledger.count == 1)
        #expect(proxy.connections == 0)

        var environment = setup.environment
        environment["COMMET_BASE_URL"] = "https://commet.example/api/v1"
        let tunnelled = try await setup.seats(arguments, environment: environment)
        #expect(tunnelled.status == 1)
        #expect(proxy.received.hasPrefix("CONNECT commet.example:443 HTTP/1.1\r\n"), "\(proxy.received)")
        #expect(!proxy.received.contains(SeatsSetup.key))
        #expect(!(tunnelled.stdout + tunnelled.stderr).contains(SeatsSetup.key))
        #expect(setup.fake.ledger.count == 1)
    }
}
