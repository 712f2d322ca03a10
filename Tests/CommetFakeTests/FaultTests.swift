import CommetFake
import Testing

@Suite("Injected faults")
struct FaultTests {
    private let setAll = #"{"customerId":"acme","seats":{"editor":5}}"#

    @Test("503, 503 then normal: three tries with one key apply the write once, on the third")
    func statusSequence() throws {
        let fake = try makeFake()
        fake.inject(
            [.status(503, code: "internal_error"), .status(503, code: "internal_error", retryAfter: "2")],
            on: .setAll
        )
        let client = try RawHTTPConnection(port: fake.port)
        let answers = try (1...3).map { _ in
            try client.answer("PUT", "/api/v1/seats/bulk", body: setAll, headers: ["Idempotency-Key": "k"])
        }
        #expect(answers.map(\.status) == [503, 503, 200])
        #expect(answers.map(\.errorCode) == ["internal_error", "internal_error", nil])
        #expect(answers.map { $0.headers["retry-after"] } == [nil, "2", nil])
        #expect(fake.ledger.map(\.status) == [503, 503, 200])
        #expect(fake.ledger.map(\.applied) == [false, false, true])
        #expect(fake.balances(of: "acme")["editor"] == 5)
    }

    @Test("faults are per route: a fault queued for setAll leaves reads alone")
    func faultsPerRoute() throws {
        let fake = try makeFake()
        fake.inject([.status(500, code: "internal_error")], on: .setAll)
        let client = try RawHTTPConnection(port: fake.port)
        #expect(try client.answer("GET", "/api/v1/seats/balances?customerId=acme").status == 200)
        #expect(try client.answer("PUT", "/api/v1/seats/bulk", body: setAll).status == 500)
        #expect(try client.answer("PUT", "/api/v1/seats/bulk", body: setAll).status == 200)
    }

    @Test("a fault queued for one customer waits for that customer's request and goes before the route's queue")
    func faultsPerCustomer() throws {
        let fake = try makeFake()
        fake.addCustomer("globex", plan: ["editor": 1])
        fake.inject([.status(500, code: "internal_error")], on: .setAll)
        fake.inject([.status(503, code: "internal_error")], on: .setAll, customer: "globex")
        let client = try RawHTTPConnection(port: fake.port)
        let globex = #"{"customerId":"globex","seats":{"editor":2}}"#
        #expect(try client.answer("PUT", "/api/v1/seats/bulk", body: globex).status == 503)
        #expect(try client.answer("PUT", "/api/v1/seats/bulk", body: globex).status == 500)
        #expect(try client.answer("PUT", "/api/v1/seats/bulk", body: setAll).status == 200)
        #expect(try client.answer("PUT", "/api/v1/seats/bulk", body: globex).status == 200)
        #expect(fake.ledger.map(\.customerID) == ["globex", "globex", "acme", "globex"])
    }

    @Test("a fault queued for one customer over /_fake/faults leaves the other customers alone")
    func faultsPerCustomerOverControl() throws {
        let fake = try makeFake()
        fake.addCustomer("globex", plan: ["editor": 1])
        let control = try RawHTTPConnection(port: fake.port)
        let queued = try control.answer(
            "POST",
            "/_fake/faults",
            body: #"{"route":"balances","customer":"globex","faults":[{"status":502,"body":"down"}]}"#
        )
        #expect(queued.status == 200)
        let api = try RawHTTPConnection(port: fake.port)
        #expect(try api.answer("GET", "/api/v1/seats/balances?customerId=acme").status == 200)
        #expect(try api.answer("GET", "/api/v1/seats/balances?customerId=globex").status == 502)
        #expect(try api.answer("GET", "/api/v1/seats/balances?customerId=globex").status == 200)
    }

    @Test("a nonJSON fault answers its status with the HTML body, as a proxy would")
    func nonJSON() throws {
        let fake = try makeFake()
        fake.inject([.nonJSON(502, body: "<html>Bad Gateway</html>")], on: .balances)
        let response = try RawHTTPConnection(port: fake.port).answer("GET", "/api/v1/seats/balances?customerId=acme")
        #expect(response.status == 502)
        #expect(response.body == "<html>Bad Gateway</html>")
        #expect(response.headers["content-type"] == "text/html")
        #expect(response.headers["x-request-id"]?.hasPrefix("req_") == true)
    }

    @Test("dropBeforeHandling closes the connection without answering or applying")
    func dropBefore() throws {
        let fake = try makeFake()
        fake.inject([.dropBeforeHandling], on: .setAll)
        let client = try RawHTTPConnection(port: fake.port)
        #expect(try client.send("PUT", "/api/v1/seats/bulk", body: setAll) == nil)
        #expect(fake.balances(of: "acme")["editor"] == 3)
        #expect(fake.ledger.map(\.status) == [0])
        #expect(fake.ledger.map(\.applied) == [false])
    }

    @Test("dropAfterApplying applies, closes without answering, and a retry with the key gets the replay")
    func dropAfter() throws {
        let fake = try makeFake()
        fake.inject([.dropAfterApplying], on: .setAll)
        #expect(
            try RawHTTPConnection(port: fake.port).send(
                "PUT",
                "/api/v1/seats/bulk",
                body: setAll,
                headers: ["Idempotency-Key": "k"]
            ) == nil
        )
        #expect(fake.balances(of: "acme")["editor"] == 5)
        let retry = try RawHTTPConnection(port: fake.port).answer(
            "PUT",
            "/api/v1/seats/bulk",
            body: setAll,
            headers: ["Idempotency-Key": "k"]
        )
        #expect(retry.status == 200)
        #expect((retry.data?["data"] as? [[String: Any]])?.first?["newBalance"] as? Int == 5)
        #expect(fake.ledger.map(\.status) == [0, 200])
        #expect(fake.ledger.map(\.applied) == [true, false])
        #expect(fake.ledger.map(\.replayed) == [false, true])
        #expect(fake.ledger.map(\.connection) == [1, 2])
    }

    @Test("over the rate limit: 429 rate_limited with Retry-After 1 and RateLimit headers")
    func rateLimit() throws {
        let fake = try makeFake()
        fake.limitRate(requestsPerSecond: 2)
        let client = try RawHTTPConnection(port: fake.port)
        let answers = try (1...3).map { _ in try client.answer("GET", "/api/v1/seats/balances?customerId=acme") }
        #expect(answers.map(\.status) == [200, 200, 429])
        #expect(answers[2].errorCode == "rate_limited")
        #expect(answers[2].headers["retry-after"] == "1")
        #expect(answers.map { $0.headers["ratelimit-remaining"] } == ["1", "0", "0"])
        #expect(answers.allSatisfy { $0.headers["ratelimit-limit"] == "2" && $0.headers["ratelimit-reset"] == "1" })
    }

    @Test("latency set at start delays every API request")
    func latency() throws {
        let fake = try FakeCommet(latency: .milliseconds(300))
        fake.addCustomer("acme", plan: ["editor": 1])
        let client = try RawHTTPConnection(port: fake.port)
        let clock = ContinuousClock()
        let elapsed = try clock.measure {
            _ = try client.answer("GET", "/api/v1/seats/balances?customerId=acme")
        }
        #expect(elapsed >= .milliseconds(300))
    }
}
