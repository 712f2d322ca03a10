import CommetFake
import InMemoryLogging
import Logging
import Testing

@testable import CommetSeats

/// The six operations against the fake, with its ledger and balances as the witness.
struct ClientOperationTests {
    /// add 2 editor seats to acme (3) -> POST /api/v1/seats with every required header, balance 5.
    @Test(arguments: [true, false])
    func addSendsTheContractRequest(envelope: Bool) async throws {
        let harness = try Harness(envelope: envelope)
        let response = try await harness.client.add(customerID: "acme", featureCode: "editor", count: 2)
        #expect(response.value.customerID == "acme")
        #expect(response.value.featureCode == "editor")
        #expect(response.value.previousBalance == 3)
        #expect(response.value.newBalance == 5)
        #expect(response.status == 200)
        #expect(response.attempts == 1)
        #expect(harness.fake.balances(of: "acme")["editor"] == 5)
        let entry = try #require(harness.fake.ledger.only)
        #expect(entry.method == "POST")
        #expect(entry.path == "/api/v1/seats")
        #expect(entry.route == .add)
        #expect(entry.apiKeyPresent)
        #expect(entry.commetVersion == "2026-08-27")
        #expect(entry.userAgent == "seat-sync/\(CommetSeats.version)")
        #expect(entry.idempotencyKey?.isEmpty == false)
        #expect(entry.body == #"{"count":2,"customerId":"acme","featureCode":"editor"}"#)
        #expect(entry.seats == ["editor": 2])
        #expect(entry.applied)
        #expect(response.requestID == entry.requestID)
    }

    /// remove 1 viewer from acme (10) -> POST /api/v1/seats/remove, balance 9.
    @Test(arguments: [true, false])
    func removePostsToSeatsRemove(envelope: Bool) async throws {
        let harness = try Harness(envelope: envelope)
        let response = try await harness.client.remove(customerID: "acme", featureCode: "viewer", count: 1)
        #expect(response.value.newBalance == 9)
        #expect(harness.fake.balances(of: "acme")["viewer"] == 9)
        let entry = try #require(harness.fake.ledger.only)
        #expect(entry.method == "POST")
        #expect(entry.path == "/api/v1/seats/remove")
        #expect(entry.idempotencyKey != nil)
    }

    /// set acme's admin seats to 4 -> PUT /api/v1/seats, balance 4.
    @Test(arguments: [true, false])
    func setPutsTheExactCount(envelope: Bool) async throws {
        let harness = try Harness(envelope: envelope)
        let response = try await harness.client.set(customerID: "acme", featureCode: "admin", count: 4)
        #expect(response.value.previousBalance == 1)
        #expect(response.value.newBalance == 4)
        #expect(harness.fake.balances(of: "acme")["admin"] == 4)
        let entry = try #require(harness.fake.ledger.only)
        #expect(entry.method == "PUT")
        #expect(entry.path == "/api/v1/seats")
    }

    /// setAll editor 7, viewer 0 -> PUT /api/v1/seats/bulk, one event per code, admin untouched.
    @Test(arguments: [true, false])
    func setAllSetsEveryNamedCode(envelope: Bool) async throws {
        let harness = try Harness(envelope: envelope)
        let response = try await harness.client.setAll(customerID: "acme", seats: ["editor": 7, "viewer": 0])
        let byCode = Dictionary(uniqueKeysWithValues: response.value.map { ($0.featureCode, $0.newBalance) })
        #expect(byCode == ["editor": 7, "viewer": 0])
        #expect(harness.fake.balances(of: "acme") == ["editor": 7, "viewer": 0, "admin": 1])
        let entry = try #require(harness.fake.ledger.only)
        #expect(entry.method == "PUT")
        #expect(entry.path == "/api/v1/seats/bulk")
        #expect(entry.body == #"{"customerId":"acme","seats":{"editor":7,"viewer":0}}"#)
        #expect(entry.idempotencyKey != nil)
    }

    /// balance of acme/editor -> GET /api/v1/seats/balance with the query, no idempotency key, current 3.
    @Test(arguments: [true, false])
    func balanceReadsOneCode(envelope: Bool) async throws {
        let harness = try Harness(envelope: envelope)
        let response = try await harness.client.balance(customerID: "acme", featureCode: "editor")
        #expect(response.value.current == 3)
        #expect(response.value.asOf != nil)
        let entry = try #require(harness.fake.ledger.only)
        #expect(entry.method == "GET")
        #expect(entry.path == "/api/v1/seats/balance")
        #expect(entry.query == ["customerId": "acme", "featureCode": "editor"])
        #expect(entry.idempotencyKey == nil)
        #expect(entry.apiKeyPresent)
        #expect(entry.commetVersion == "2026-08-27")
    }

    /// balances of acme -> GET /api/v1/seats/balances, every code on the plan.
    @Test(arguments: [true, false])
    func balancesReadsEveryCode(envelope: Bool) async throws {
        let harness = try Harness(envelope: envelope)
        let response = try await harness.client.balances(customerID: "acme")
        #expect(response.value.balances.mapValues(\.current) == ["editor": 3, "viewer": 10, "admin": 1])
        let entry = try #require(harness.fake.ledger.only)
        #expect(entry.path == "/api/v1/seats/balances")
        #expect(entry.query == ["customerId": "acme"])
    }

    /// A customer id with reserved characters reaches the fake intact through the query.
    @Test func customerIDIsEncodedInTheQuery() async throws {
        let harness = try Harness()
        harness.fake.addCustomer("ext/a&b c", plan: ["editor": 2])
        let response = try await harness.client.balance(customerID: "ext/a&b c", featureCode: "editor")
        #expect(response.value.current == 2)
        #expect(harness.fake.ledger.only?.query["customerId"] == "ext/a&b c")
    }

    /// The caller's idempotency key is sent as given; sending the same write again replays it, applied once.
    @Test func callerKeyIsSentAndReplayed() async throws {
        let harness = try Harness()
        let first = try await harness.client.add(
            customerID: "acme",
            featureCode: "editor",
            count: 1,
            idempotencyKey: "pass-1-acme"
        )
        let second = try await harness.client.add(
            customerID: "acme",
            featureCode: "editor",
            count: 1,
            idempotencyKey: "pass-1-acme"
        )
        #expect(first.value == second.value)
        #expect(harness.fake.balances(of: "acme")["editor"] == 4)
        let ledger = harness.fake.ledger
        #expect(ledger.map(\.idempotencyKey) == ["pass-1-acme", "pass-1-acme"])
        #expect(ledger.map(\.applied) == [true, false])
        #expect(ledger.map(\.replayed) == [false, true])
    }

    /// Two calls without a key are two logical writes: two different generated keys, both applied.
    @Test func eachCallGetsItsOwnKey() async throws {
        let harness = try Harness()
        _ = try await harness.client.add(customerID: "acme", featureCode: "editor", count: 1)
        _ = try await harness.client.add(customerID: "acme", featureCode: "editor", count: 1)
        let keys = harness.fake.ledger.compactMap(\.idempotencyKey)
        #expect(keys.count == 2)
        #expect(Set(keys).count == 2)
        #expect(harness.fake.balances(of: "acme")["editor"] == 5)
    }

    /// Arguments the contract forbids are refused before anything is sent.
    @Test func refusesBadArgumentsWithoutSending() async throws {
        let harness = try Harness()
        let negative = await commetError {
            try await harness.client.set(customerID: "acme", featureCode: "editor", count: -1)
        }
        #expect(negative?.kind == .invalidArgument)
        #expect(negative?.description == "set customer=acme: invalid argument: count must not be negative, got -1")
        let emptySeats = await commetError { try await harness.client.setAll(customerID: "acme", seats: [:]) }
        #expect(emptySeats?.message == "seats must name at least one feature code")
        let badKey = await commetError {
            try await harness.client.add(customerID: "acme", featureCode: "editor", count: 1, idempotencyKey: "a\r\nb")
        }
        #expect(badKey?.message == "idempotencyKey must be 1 to 255 visible ASCII characters")
        let noCustomer = await commetError { try await harness.client.balances(customerID: " ") }
        #expect(noCustomer?.message == "customerID must not be empty")
        #expect(harness.fake.ledger.isEmpty)
    }

    /// 20 sequential requests share one kept-alive connection.
    @Test func sequentialRequestsReuseTheConnection() async throws {
        let harness = try Harness()
        for index in 0..<20 {
            if index.isMultiple(of: 2) {
                _ = try await harness.client.balances(customerID: "acme")
            } else {
                _ = try await harness.client.set(customerID: "acme", featureCode: "editor", count: index)
            }
        }
        #expect(harness.fake.connectionsAccepted <= 2)
        #expect(Set(harness.fake.ledger.map(\.connection)).count == 1)
    }

    /// The deprecated unversioned root works, and every response marked `Deprecation` logs one warning naming
    /// the successor.
    @Test func warnsOnDeprecatedEndpoints() async throws {
        let harness = try Harness(path: "/api")
        _ = try await harness.client.balances(customerID: "acme")
        _ = try await harness.client.balance(customerID: "acme", featureCode: "editor")
        let warnings = harness.warnings
        #expect(warnings.count == 2)
        #expect(warnings.first?.message == "Commet marks this endpoint deprecated")
        #expect(warnings.first?.metadata["successor"] == "/api/v1/seats/balances")
        #expect(warnings.first?.metadata["deprecation"] == "true")
        #expect(warnings.first?.metadata["sunset"] != nil)
        #expect(warnings.first?.metadata["request_id"] == "\(harness.fake.ledger[0].requestID ?? "")")
    }
}

extension Array {
    /// The single element, or nil when there are none or several.
    var only: Element? { count == 1 ? first : nil }
}
