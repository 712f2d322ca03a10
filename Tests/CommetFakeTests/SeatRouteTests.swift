import CommetFake
import Testing

@Suite("Seat routes")
struct SeatRouteTests {
    @Test("add, remove, set, setAll, balance and balances move and report acme's balances")
    func sixOperations() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)

        let added = try client.answer(
            "POST",
            "/api/v1/seats",
            body: #"{"customerId":"acme","featureCode":"editor","count":2}"#
        )
        #expect(added.status == 200)
        #expect(added.data?["object"] as? String == "seat_event")
        #expect(added.data?["previousBalance"] as? Int == 3)
        #expect(added.data?["newBalance"] as? Int == 5)
        #expect(added.data?["customerId"] as? String == "acme")
        #expect((added.data?["id"] as? String)?.hasPrefix("sev_") == true)

        let removed = try client.answer(
            "POST",
            "/api/v1/seats/remove",
            body: #"{"customerId":"acme","featureCode":"editor","count":1}"#
        )
        #expect(removed.data?["newBalance"] as? Int == 4)

        let set = try client.answer(
            "PUT",
            "/api/v1/seats",
            body: #"{"customerId":"acme","featureCode":"viewer","count":7}"#
        )
        #expect(set.data?["previousBalance"] as? Int == 10)
        #expect(set.data?["newBalance"] as? Int == 7)

        let setAll = try client.answer(
            "PUT",
            "/api/v1/seats/bulk",
            body: #"{"customerId":"acme","seats":{"editor":0,"viewer":12}}"#
        )
        #expect(setAll.data?["object"] as? String == "list")
        #expect(setAll.data?["hasMore"] as? Bool == false)
        let events = setAll.data?["data"] as? [[String: Any]] ?? []
        #expect(events.map { $0["featureCode"] as? String } == ["editor", "viewer"])
        #expect(events.map { $0["newBalance"] as? Int } == [0, 12])

        let balance = try client.answer("GET", "/api/v1/seats/balance?customerId=acme&featureCode=viewer")
        #expect(balance.data?["object"] as? String == "seat_balance")
        #expect(balance.data?["current"] as? Int == 12)
        #expect(balance.data?["asOf"] is String)

        let balances = try client.answer("GET", "/api/v1/seats/balances?customerId=acme")
        #expect(balances.data?["object"] as? String == "seat_balance_collection")
        let perCode = balances.data?["balances"] as? [String: [String: Any]] ?? [:]
        #expect(perCode.mapValues { $0["current"] as? Int } == ["editor": 0, "viewer": 12])
        #expect(fake.balances(of: "acme") == ["editor": 0, "viewer": 12])
    }

    @Test("every answer carries its own req_ x-request-id, the one the ledger records")
    func requestIDs() throws {
        let fake = try makeFake()
        let client = try RawHTTPConnection(port: fake.port)
        let first = try client.answer("GET", "/api/v1/seats/balances?customerId=acme")
        let second = try client.answer("GET", "/api/v1/seats/balances?customerId=nobody")
        let ids = [first.headers["x-request-id"], second.headers["x-request-id"]]
        #expect(ids.allSatisfy { $0?.hasPrefix("req_") == true })
        #expect(ids[0] != ids[1])
        #expect(fake.ledger.map(\.requestID) == ids)
    }

    @Test("a fake made with envelope: false sends success bodies bare")
    func bareBodies() throws {
        let fake = try makeFake(envelope: false)
        let response = try RawHTTPConnection(port: fake.port).answer(
            "GET",
            "/api/v1/seats/balance?customerId=acme&featureCode=editor"
        )
        let body = response.json as? [String: Any]
        #expect(body?["object"] as? String == "seat_balance")
        #expect(body?["current"] as? Int == 3)
        #expect(body?["success"] == nil)
    }

    @Test("DELETE /api/seats removes, answering with Deprecation, Sunset and a successor Link")
    func deprecatedPath() throws {
        let fake = try makeFake()
        let response = try RawHTTPConnection(port: fake.port).answer(
            "DELETE",
            "/api/seats",
            body: #"{"customerId":"acme","featureCode":"editor","count":3}"#
        )
        #expect(response.status == 200)
        #expect(response.headers["deprecation"] == "true")
        #expect(response.headers["sunset"] == "Wed, 30 Jun 2027 23:59:59 GMT")
        #expect(response.headers["link"] == #"</api/v1/seats>; rel="successor-version""#)
        #expect(fake.balances(of: "acme")["editor"] == 0)
        #expect(fake.ledger.first?.route == .remove)
    }

    @Test("the versioned path carries no deprecation headers")
    func versionedPathNotDeprecated() throws {
        let fake = try makeFake()
        let response = try RawHTTPConnection(port: fake.port).answer("GET", "/api/v1/seats/balances?customerId=acme")
        #expect(response.headers["deprecation"] == nil)
        #expect(response.headers["sunset"] == nil)
    }

    struct BadRequest: Sendable, CustomTestStringConvertible {
        var method: String
        var target: String
        var body: String?
        var status: Int
        var code: String
        var fields: [String]
        var testDescription: String { "\(method) \(target) \(body ?? "") -> \(status) \(code) \(fields)" }
    }

    @Test(
        "a malformed request is refused with the exact code and the fields at fault",
        arguments: [
            BadRequest(
                method: "POST",
                target: "/api/v1/seats",
                body: "{nope",
                status: 400,
                code: "invalid_json",
                fields: []
            ),
            BadRequest(
                method: "POST",
                target: "/api/v1/seats",
                body: "",
                status: 400,
                code: "invalid_json",
                fields: []
            ),
            BadRequest(
                method: "POST",
                target: "/api/v1/seats",
                body: "[1]",
                status: 422,
                code: "validation_error",
                fields: ["body"]
            ),
            BadRequest(
                method: "POST",
                target: "/api/v1/seats",
                body: #"{"featureCode":"editor","count":1}"#,
                status: 422,
                code: "validation_error",
                fields: ["customerId"]
            ),
            BadRequest(
                method: "PUT",
                target: "/api/v1/seats",
                body: #"{"customerId":"acme","count":1}"#,
                status: 422,
                code: "validation_error",
                fields: ["featureCode"]
            ),
            BadRequest(
                method: "POST",
                target: "/api/v1/seats/remove",
                body: #"{"customerId":"acme","featureCode":"editor","count":-1}"#,
                status: 422,
                code: "validation_error",
                fields: ["count"]
            ),
            BadRequest(
                method: "POST",
                target: "/api/v1/seats",
                body: #"{"customerId":"acme","featureCode":"editor","count":1.5}"#,
                status: 422,
                code: "validation_error",
                fields: ["count"]
            ),
            BadRequest(
                method: "POST",
                target: "/api/v1/seats",
                body: #"{"customerId":"acme","featureCode":"editor","count":"2"}"#,
                status: 422,
                code: "validation_error",
                fields: ["count"]
            ),
            BadRequest(
                method: "POST",
                target: "/api/v1/seats",
                body: #"{"customerId":"","featureCode":"editor"}"#,
                status: 422,
                code: "validation_error",
                fields: ["customerId", "count"]
            ),
            BadRequest(
                method: "PUT",
                target: "/api/v1/seats/bulk",
                body: #"{"customerId":"acme","seats":{"editor":-2,"viewer":true}}"#,
                status: 422,
                code: "validation_error",
                fields: ["seats.editor", "seats.viewer"]
            ),
            BadRequest(
                method: "PUT",
                target: "/api/v1/seats/bulk",
                body: #"{"customerId":"acme"}"#,
                status: 422,
                code: "validation_error",
                fields: ["seats"]
            ),
            BadRequest(
                method: "GET",
                target: "/api/v1/seats/balance?customerId=acme",
                status: 422,
                code: "validation_error",
                fields: ["featureCode"]
            ),
            BadRequest(
                method: "GET",
                target: "/api/v1/seats/balances",
                status: 422,
                code: "validation_error",
                fields: ["customerId"]
            ),
            BadRequest(method: "GET", target: "/api/v1/seats/everything", status: 404, code: "not_found", fields: []),
            BadRequest(
                method: "PATCH",
                target: "/api/v1/seats",
                body: "{}",
                status: 404,
                code: "not_found",
                fields: []
            ),
        ]
    )
    func malformedRequests(_ bad: BadRequest) throws {
        let fake = try makeFake()
        let response = try RawHTTPConnection(port: fake.port).answer(bad.method, bad.target, body: bad.body)
        #expect(response.status == bad.status)
        #expect(response.errorCode == bad.code)
        let error = (response.json as? [String: Any])?["error"] as? [String: Any]
        let details = error?["details"] as? [[String: Any]] ?? []
        #expect(details.map { $0["field"] as? String } == bad.fields)
        #expect(error?["param"] as? String == bad.fields.first)
        #expect(fake.balances(of: "acme") == ["editor": 3, "viewer": 10])
    }

    struct Refusal: Sendable, CustomTestStringConvertible {
        var method: String
        var target: String
        var body: String?
        var status: Int
        var type: String
        var code: String
        var testDescription: String { "\(method) \(target) \(body ?? "") -> \(status) \(code)" }
    }

    @Test(
        "a request Commet's rules refuse gets the matching status, type and code, and changes nothing",
        arguments: [
            Refusal(
                method: "POST",
                target: "/api/v1/seats",
                body: #"{"customerId":"initech","featureCode":"editor","count":1}"#,
                status: 404,
                type: "not_found_error",
                code: "customer_not_found"
            ),
            Refusal(
                method: "GET",
                target: "/api/v1/seats/balances?customerId=lapsed",
                status: 404,
                type: "not_found_error",
                code: "no_active_subscription"
            ),
            Refusal(
                method: "PUT",
                target: "/api/v1/seats",
                body: #"{"customerId":"acme","featureCode":"auditor","count":1}"#,
                status: 404,
                type: "not_found_error",
                code: "feature_not_found"
            ),
            Refusal(
                method: "GET",
                target: "/api/v1/seats/balance?customerId=acme&featureCode=admin",
                status: 409,
                type: "billing_error",
                code: "feature_not_in_plan"
            ),
            Refusal(
                method: "POST",
                target: "/api/v1/seats/remove",
                body: #"{"customerId":"acme","featureCode":"editor","count":4}"#,
                status: 409,
                type: "billing_error",
                code: "insufficient_seats"
            ),
            Refusal(
                method: "PUT",
                target: "/api/v1/seats/bulk",
                body: #"{"customerId":"acme","seats":{"editor":9,"viewer":1,"admin":1}}"#,
                status: 409,
                type: "billing_error",
                code: "feature_not_in_plan"
            ),
        ]
    )
    func refusals(_ refusal: Refusal) throws {
        let fake = try makeFake()
        let response = try RawHTTPConnection(port: fake.port).answer(refusal.method, refusal.target, body: refusal.body)
        #expect(response.status == refusal.status)
        let error = (response.json as? [String: Any])?["error"] as? [String: Any]
        #expect(error?["type"] as? String == refusal.type)
        #expect(error?["code"] as? String == refusal.code)
        #expect(error?["message"] is String)
        #expect(error?["doc_url"] as? String == "https://commet.co/docs/errors/\(refusal.code)")
        #expect(fake.balances(of: "acme") == ["editor": 3, "viewer": 10])
        #expect(fake.ledger.map(\.applied) == [false])
    }

    @Test("a deferred decrease reports the requested balance but leaves the balance; an increase applies")
    func deferredDecreases() throws {
        let fake = try makeFake()
        fake.deferDecreases(for: "acme")
        let client = try RawHTTPConnection(port: fake.port)
        let decrease = try client.answer(
            "PUT",
            "/api/v1/seats/bulk",
            body: #"{"customerId":"acme","seats":{"editor":1,"viewer":12}}"#
        )
        let events = decrease.data?["data"] as? [[String: Any]] ?? []
        #expect(events.map { $0["newBalance"] as? Int } == [1, 12])
        let balances = try client.answer("GET", "/api/v1/seats/balances?customerId=acme")
        let perCode = balances.data?["balances"] as? [String: [String: Any]] ?? [:]
        #expect(perCode.mapValues { $0["current"] as? Int } == ["editor": 3, "viewer": 12])
    }

    @Test("with an API key set, a request without it or with another is 401 unauthorized; the key passes")
    func apiKey() throws {
        let fake = try makeFake(apiKey: "ck_right")
        let client = try RawHTTPConnection(port: fake.port)
        let target = "/api/v1/seats/balances?customerId=acme"
        #expect(try client.answer("GET", target).errorCode == "unauthorized")
        #expect(try client.answer("GET", target, headers: ["x-api-key": "ck_wrong"]).status == 401)
        #expect(try client.answer("GET", target, headers: ["x-api-key": "ck_right"]).status == 200)
        #expect(fake.ledger.map(\.apiKeyPresent) == [false, true, true])
    }

    @Test("the ledger records the headers, customer and counts a write sent")
    func ledgerRecordsRequest() throws {
        let fake = try makeFake()
        _ = try RawHTTPConnection(port: fake.port).answer(
            "PUT",
            "/api/v1/seats/bulk",
            body: #"{"customerId":"acme","seats":{"editor":4,"viewer":9}}"#,
            headers: ["Idempotency-Key": "key-1", "Commet-Version": "2026-08-27", "User-Agent": "seat-sync/0.1"]
        )
        let entry = try #require(fake.ledger.first)
        #expect(entry.method == "PUT")
        #expect(entry.path == "/api/v1/seats/bulk")
        #expect(entry.route == .setAll)
        #expect(entry.idempotencyKey == "key-1")
        #expect(entry.commetVersion == "2026-08-27")
        #expect(entry.userAgent == "seat-sync/0.1")
        #expect(entry.customerID == "acme")
        #expect(entry.seats == ["editor": 4, "viewer": 9])
        #expect(entry.status == 200)
        #expect(entry.applied)
        #expect(!entry.replayed)
        #expect(entry.connection == 1)
    }
}
