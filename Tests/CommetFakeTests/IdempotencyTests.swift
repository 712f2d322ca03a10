import CommetFake
import Foundation
import TestSupport
import Testing

@Suite("Idempotency keys")
struct IdempotencyTests {
    private let setAll = #"{"customerId":"acme","seats":{"editor":5}}"#

    @Test("the same key and body again replays the first answer without applying it twice")
    func replay() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        let first = try client.answer("PUT", "/api/v1/seats/bulk", body: setAll, headers: ["Idempotency-Key": "k"])
        fake.setBalance(customer: "acme", feature: "editor", count: 1)
        let again = try client.answer("PUT", "/api/v1/seats/bulk", body: setAll, headers: ["Idempotency-Key": "k"])
        #expect(again.status == 200)
        #expect(again.body == first.body)
        #expect(again.headers["idempotent-replayed"] == "true")
        #expect(again.headers["x-request-id"] != first.headers["x-request-id"])
        #expect(fake.balances(of: "acme")["editor"] == 1)
        #expect(fake.ledger.map(\.applied) == [true, false])
        #expect(fake.ledger.map(\.replayed) == [false, true])
    }

    @Test("a refused write is replayed as refused")
    func replayedRefusal() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        let body = #"{"customerId":"acme","featureCode":"editor","count":9}"#
        let first = try client.answer("POST", "/api/v1/seats/remove", body: body, headers: ["Idempotency-Key": "k"])
        fake.setBalance(customer: "acme", feature: "editor", count: 20)
        let again = try client.answer("POST", "/api/v1/seats/remove", body: body, headers: ["Idempotency-Key": "k"])
        #expect(first.errorCode == "insufficient_seats")
        #expect(again.body == first.body)
        #expect(fake.balances(of: "acme")["editor"] == 20)
    }

    @Test("the same key with another body, or on another route, is 409 idempotency_key_mismatch")
    func mismatch() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        _ = try client.answer("PUT", "/api/v1/seats/bulk", body: setAll, headers: ["Idempotency-Key": "k"])
        let otherBody = try client.answer(
            "PUT",
            "/api/v1/seats/bulk",
            body: #"{"customerId":"acme","seats":{"editor":6}}"#,
            headers: ["Idempotency-Key": "k"]
        )
        let otherRoute = try client.answer(
            "PUT",
            "/api/v1/seats",
            body: setAll,
            headers: ["Idempotency-Key": "k"]
        )
        #expect(otherBody.status == 409)
        #expect(otherBody.errorCode == "idempotency_key_mismatch")
        #expect(otherRoute.errorCode == "idempotency_key_mismatch")
        #expect(fake.balances(of: "acme")["editor"] == 5)
    }

    /// The first request is held for 10 s, so that on a loaded machine the second still finds it being handled; the
    /// test keeps its thread until then (see `pollWithoutYielding`).
    @Test("a key whose first request is still being handled is 409 idempotency_in_progress")
    func inProgress() throws {
        let fake = try makeFake()
        fake.inject([.delay(.seconds(10))], on: .setAll)
        let slow = try RawHTTPConnection(port: fake.port)
        let head =
            "PUT /api/v1/seats/bulk HTTP/1.1\r\nIdempotency-Key: k\r\nContent-Length: \(setAll.utf8.count)\r\n\r\n"
        try slow.write(head + setAll)
        try pollWithoutYielding("the first request to be in handling") { fake.isHandling(idempotencyKey: "k") }
        let meanwhile = try RawHTTPConnection(port: fake.port).answer(
            "PUT",
            "/api/v1/seats/bulk",
            body: setAll,
            headers: ["Idempotency-Key": "k"]
        )
        #expect(meanwhile.status == 409)
        #expect(meanwhile.errorCode == "idempotency_in_progress")
        #expect(try slow.readResponse()?.status == 200)
        #expect(fake.ledger.map(\.applied) == [true, false])
        #expect(fake.balances(of: "acme")["editor"] == 5)
    }
}
