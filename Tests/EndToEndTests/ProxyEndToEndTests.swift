import CommetFake
import TestSupport
import Testing

/// Where the API key travels: only where the config says. A recording port on 127.0.0.1 plays the proxy.
@Suite struct ProxyEndToEndTests {
    static let key = "ck_test_proxy_Secret_77a1b2"
    /// A proxy that refuses every request, so a client that does reach it fails at once.
    static let refusal = "HTTP/1.1 403 Forbidden\r\nContent-Length: 0\r\nConnection: close\r\n\r\n"

    /// A config for the fake with `commet:` lines added, and no retries.
    static func config(in folder: TemporaryDirectory, fake: FakeCommet, commet: String = "") throws -> String {
        try folder.write(
            "seat-sync.yaml",
            """
            commet:
              base_url: \(fake.baseURL)
              max_retries: 0
            \(commet)
            sources:
              - {name: hr, type: csv, path: users.csv}
            """
        )
    }

    @Test func proxyVariablesInTheEnvironmentAreIgnored() async throws {
        // Input: no commet.proxy; http_proxy, HTTP_PROXY, https_proxy, all_proxy and ALL_PROXY all naming a
        // listening port; `seats balances` against the fake (plain http on 127.0.0.1).
        // Expected: exit 0 with the balances, the request in the fake's ledger, and nothing sent to the port.
        let proxy = try RecordingPort(reply: Self.refusal)
        let fake = try FakeCommet(apiKey: Self.key)
        defer { fake.stop() }
        fake.addCustomer("acme", plan: ["editor": 3])
        let folder = try TemporaryDirectory()
        let config = try Self.config(in: folder, fake: fake)
        let proxyURL = "http://127.0.0.1:\(proxy.port)"
        var environment = ["COMMET_API_KEY": Self.key]
        for name in ["http_proxy", "HTTP_PROXY", "https_proxy", "HTTPS_PROXY", "all_proxy", "ALL_PROXY"] {
            environment[name] = proxyURL
        }

        let run = try await SeatSyncBinary.locate().run(
            ["seats", "balances", "--customer", "acme", "--config", config],
            environment: environment
        )
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("editor         3"))
        #expect(fake.ledger.count == 1)
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
        let fake = try FakeCommet(apiKey: Self.key)
        defer { fake.stop() }
        fake.addCustomer("acme", plan: ["editor": 3])
        let folder = try TemporaryDirectory()
        let config = try Self.config(in: folder, fake: fake, commet: "  proxy: http://127.0.0.1:\(proxy.port)")
        let binary = try SeatSyncBinary.locate()
        let arguments = ["seats", "balances", "--customer", "acme", "--config", config]

        let direct = try await binary.run(arguments, environment: ["COMMET_API_KEY": Self.key])
        #expect(direct.status == 0, "\(direct.stderr)")
        #expect(fake.ledger.count == 1)
        #expect(proxy.connections == 0)

        let tunnelled = try await binary.run(
            arguments,
            environment: ["COMMET_API_KEY": Self.key, "COMMET_BASE_URL": "https://commet.example/api/v1"]
        )
        #expect(tunnelled.status == 1)
        #expect(proxy.received.hasPrefix("CONNECT commet.example:443 HTTP/1.1\r\n"), "\(proxy.received)")
        #expect(!proxy.received.contains(Self.key))
        #expect(!(tunnelled.stdout + tunnelled.stderr).contains(Self.key))
        #expect(fake.ledger.count == 1)
    }
}
