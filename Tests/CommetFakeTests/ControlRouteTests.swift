import CommetFake
import Foundation
import Testing

@Suite("Control routes")
struct ControlRouteTests {
    @Test("customers, balances, faults, ledger and reset over /_fake/ drive the same state as the Swift API")
    func controlRoutes() throws {
        let fake = try FakeCommet(apiKey: "ck_key")
        let control = try RawHTTPConnection(port: fake.port)
        let created = try control.answer("POST", "/_fake/customers", body: #"{"id":"globex","plan":{"editor":2}}"#)
        #expect(created.status == 200)
        #expect(fake.balances(of: "globex") == ["editor": 2])

        _ = try control.answer("POST", "/_fake/balance", body: #"{"customer":"globex","feature":"editor","count":7}"#)
        let balances = try control.answer("GET", "/_fake/balances?customerId=globex")
        #expect(balances.json as? [String: Int] == ["editor": 7])

        let faults = try control.answer(
            "POST",
            "/_fake/faults",
            body: #"{"route":"setAll","faults":[{"status":503,"code":"internal_error"},{"drop":"beforeHandling"}]}"#
        )
        #expect(faults.status == 200)
        let api = try RawHTTPConnection(port: fake.port)
        let write = #"{"customerId":"globex","seats":{"editor":1}}"#
        #expect(
            try api.answer("PUT", "/api/v1/seats/bulk", body: write, headers: ["x-api-key": "ck_key"]).status == 503
        )
        #expect(try api.send("PUT", "/api/v1/seats/bulk", body: write, headers: ["x-api-key": "ck_key"]) == nil)

        let ledger = try control.answer("GET", "/_fake/ledger").json as? [[String: Any]] ?? []
        #expect(ledger.map { $0["status"] as? Int } == [503, 0])
        #expect(ledger.map { $0["route"] as? String } == ["setAll", "setAll"])
        #expect(ledger.first?["seats"] as? [String: Int] == ["editor": 1])

        _ = try control.answer("POST", "/_fake/reset-ledger")
        #expect(fake.ledger.isEmpty)
        #expect(try control.answer("GET", "/_fake/ledger").body == "[]")
    }

    @Test(
        "a bad control request names the field at fault",
        arguments: [
            ("/_fake/customers", #"{"plan":{}}"#, "id"),
            ("/_fake/customers", #"{"id":"x","plan":{"editor":-1}}"#, "plan.editor"),
            ("/_fake/faults", #"{"route":"everything","faults":[]}"#, "route"),
            ("/_fake/faults", #"{"route":"add","faults":[{"status":500}]}"#, "faults[0]"),
            ("/_fake/balance", #"{"customer":"x","feature":"editor"}"#, "count"),
        ]
    )
    func badControlRequest(path: String, body: String, field: String) throws {
        let fake = try FakeCommet()
        let response = try RawHTTPConnection(port: fake.port).answer("POST", path, body: body)
        #expect(response.status == 422)
        let error = (response.json as? [String: Any])?["error"] as? [String: Any]
        #expect(error?["param"] as? String == field)
    }
}
