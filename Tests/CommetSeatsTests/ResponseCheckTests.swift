import CommetFake
import Testing

@testable import CommetSeats

/// One answer a server gives to `setAll`, and what the client must make of it.
struct SetAllAnswer: Sendable, CustomTestStringConvertible {
    var name: String
    /// The customer id the request names.
    var customer = "acme"
    /// The seats the request writes.
    var seats = ["editor": 5, "viewer": 8]
    /// The body answered with status 200.
    var body: String
    /// The refusal's message, or nil when the answer must be accepted.
    var problem: String?

    var testDescription: String { name }

    static func event(_ customer: String, _ code: String, from previous: Int, to new: Int) -> String {
        #"{"object":"seat_event","id":"sev_1","customerId":"\#(customer)","featureCode":"\#(code)","#
            + #""previousBalance":\#(previous),"newBalance":\#(new)}"#
    }

    static func list(_ events: String...) -> String {
        list(events)
    }

    static func list(_ events: [String]) -> String {
        #"{"success":true,"data":{"object":"list","data":[\#(events.joined(separator: ","))],"hasMore":false}}"#
    }

    /// The events a faithful Commet answers for acme's default write.
    static let faithful = [event("acme", "editor", from: 3, to: 5), event("acme", "viewer", from: 10, to: 8)]
}

/// Answers that cannot be Commet's account of the request are refused as `invalidResponse`, with the request id,
/// after one attempt; answers that can be are taken. The hostile answers come from the fake's `json` fault.
struct ResponseCheckTests {
    static let setAllAnswers: [SetAllAnswer] = [
        SetAllAnswer(
            name: "bare success false",
            body: #"{"success": false}"#,
            problem: #"the body says "success": false"#
        ),
        SetAllAnswer(
            name: "success false around the right events",
            body:
                #"{"success":false,"data":{"object":"list","data":[\#(SetAllAnswer.faithful.joined(separator: ","))]}}"#,
            problem: #"the body says "success": false"#
        ),
        SetAllAnswer(
            name: "success false with an error object",
            body: #"{"success":false,"error":{"code":"internal_error","message":"try again later"}}"#,
            problem: #"the body says "success": false (internal_error: try again later)"#
        ),
        SetAllAnswer(
            name: "an empty event list",
            body: SetAllAnswer.list(),
            problem: #"no event for "editor", "viewer", which was written"#
        ),
        SetAllAnswer(
            name: "one code's event missing",
            body: SetAllAnswer.list(SetAllAnswer.faithful[0]),
            problem: #"no event for "viewer", which was written"#
        ),
        SetAllAnswer(
            name: "an event for a code not written",
            body: SetAllAnswer.list(SetAllAnswer.faithful + [SetAllAnswer.event("acme", "admin", from: 1, to: 0)]),
            problem: #"an event for "admin", which was not written"#
        ),
        SetAllAnswer(
            name: "two events for one code",
            body: SetAllAnswer.list(SetAllAnswer.faithful + [SetAllAnswer.faithful[0]]),
            problem: #"two events for "editor""#
        ),
        SetAllAnswer(
            name: "another external id's event (to=999)",
            body: SetAllAnswer.list(
                SetAllAnswer.event("globex", "editor", from: 3, to: 999),
                SetAllAnswer.faithful[1]
            ),
            problem: #"the event for "editor" names another customer, "globex""#
        ),
        SetAllAnswer(
            name: "another Commet id's event",
            customer: "cus_A1",
            body: SetAllAnswer.list(
                SetAllAnswer.event("cus_B2", "editor", from: 3, to: 5),
                SetAllAnswer.event("cus_B2", "viewer", from: 10, to: 8)
            ),
            problem: #"the event for "editor" names another customer, "cus_B2""#
        ),
        SetAllAnswer(
            name: "Commet's own id for a request by external id: accepted",
            body: SetAllAnswer.list(
                SetAllAnswer.event("cus_9x", "editor", from: 3, to: 5),
                SetAllAnswer.event("cus_9x", "viewer", from: 10, to: 8)
            )
        ),
        SetAllAnswer(
            name: "the external id for a request by Commet id: accepted",
            customer: "cus_A1",
            body: SetAllAnswer.list(
                SetAllAnswer.event("acme", "editor", from: 3, to: 5),
                SetAllAnswer.event("acme", "viewer", from: 10, to: 8)
            )
        ),
        SetAllAnswer(
            name: "events naming two customers for one write",
            body: SetAllAnswer.list(
                SetAllAnswer.event("acme", "editor", from: 3, to: 5),
                SetAllAnswer.event("cus_9x", "viewer", from: 10, to: 8)
            ),
            problem: "the events name 2 customers for one setAll"
        ),
        SetAllAnswer(
            name: "a negative newBalance",
            seats: ["editor": 0],
            body: SetAllAnswer.list(SetAllAnswer.event("acme", "editor", from: 3, to: -1)),
            problem: #"the event for "editor" has a negative newBalance (-1)"#
        ),
        SetAllAnswer(
            name: "a negative previousBalance",
            seats: ["editor": 5],
            body: SetAllAnswer.list(SetAllAnswer.event("acme", "editor", from: -3, to: 5)),
            problem: #"the event for "editor" has a negative previousBalance (-3)"#
        ),
        SetAllAnswer(
            name: "an increase answered with another count",
            seats: ["editor": 5],
            body: SetAllAnswer.list(SetAllAnswer.event("acme", "editor", from: 3, to: 4)),
            problem: #"the event for "editor" has newBalance 4, but 5 was written"#
        ),
        SetAllAnswer(
            name: "a decrease deferred to renewal, answered with the balance in force: accepted",
            seats: ["editor": 1],
            body: SetAllAnswer.list(SetAllAnswer.event("acme", "editor", from: 3, to: 3))
        ),
        SetAllAnswer(
            name: "a decrease answered with a count between",
            seats: ["editor": 1],
            body: SetAllAnswer.list(SetAllAnswer.event("acme", "editor", from: 3, to: 2)),
            problem: #"the event for "editor" has newBalance 2, but 1 was written"#
        ),
        SetAllAnswer(
            name: "a faithful answer: accepted",
            body: SetAllAnswer.list(SetAllAnswer.faithful[1], SetAllAnswer.faithful[0])
        ),
    ]

    /// Each answer to setAll -> refused after one attempt with its problem and the request id, or accepted.
    @Test(arguments: setAllAnswers)
    func setAllAnswerIsHeldAgainstTheRequest(_ row: SetAllAnswer) async throws {
        let harness = try Harness()
        harness.fake.inject([.json(200, body: row.body)], on: .setAll)
        let error = await commetError {
            try await harness.client.setAll(customerID: row.customer, seats: row.seats)
        }
        let entry = try #require(harness.fake.ledger.only)
        guard let problem = row.problem else {
            #expect(error == nil, "\(String(describing: error))")
            return
        }
        let refusal = try #require(error)
        #expect(refusal.kind == .invalidResponse)
        #expect(refusal.message == problem)
        #expect(!refusal.isRetryable)
        #expect(refusal.attempts == 1)
        #expect(refusal.status == 200)
        #expect(refusal.requestID == entry.requestID)
        #expect(
            refusal.description
                == "setAll customer=\(row.customer): HTTP 200 response refused: \(problem) "
                + "[request_id=\(entry.requestID ?? "?"), attempts=1]"
        )
    }

    /// getAllBalances answering editor at -1 -> refused after one attempt, naming the code and the request id.
    @Test func aNegativeBalanceIsRefused() async throws {
        let harness = try Harness()
        let body = #"{"object":"seat_balance_collection","balances":{"editor":{"current":3},"viewer":{"current":-1}}}"#
        harness.fake.inject([.json(200, body: body)], on: .balances)
        let error = try #require(await commetError { try await harness.client.balances(customerID: "acme") })
        #expect(error.kind == .invalidResponse)
        #expect(error.message == #"the balance of "viewer" is negative (-1)"#)
        #expect(error.attempts == 1)
        #expect(error.requestID == harness.fake.ledger.only?.requestID)
    }

    /// getBalance answering -2 -> refused.
    @Test func aNegativeSingleBalanceIsRefused() async throws {
        let harness = try Harness()
        harness.fake.inject([.json(200, body: #"{"object":"seat_balance","current":-2}"#)], on: .balance)
        let error = try #require(
            await commetError { try await harness.client.balance(customerID: "acme", featureCode: "editor") }
        )
        #expect(error.kind == .invalidResponse)
        #expect(error.message == #"the balance of "editor" is negative (-2)"#)
    }

    /// A balance read whose envelope says success false -> refused, though its data holds valid balances.
    @Test func aBalanceReadSayingSuccessFalseIsRefused() async throws {
        let harness = try Harness()
        let body = #"{"success":false,"data":{"object":"seat_balance_collection","balances":{"editor":{"current":3}}}}"#
        harness.fake.inject([.json(200, body: body)], on: .balances)
        let error = try #require(await commetError { try await harness.client.balances(customerID: "acme") })
        #expect(error.kind == .invalidResponse)
        #expect(error.message == #"the body says "success": false"#)
    }

    /// set admin to 4 answered with an event for editor, or add answered for globex -> refused.
    @Test func singleCodeWritesAreHeldAgainstTheirCodeAndCustomer() async throws {
        let harness = try Harness()
        let editor = #"{"success":true,"data":\#(SetAllAnswer.event("acme", "editor", from: 1, to: 4))}"#
        harness.fake.inject([.json(200, body: editor)], on: .set)
        let set = try #require(
            await commetError { try await harness.client.set(customerID: "acme", featureCode: "admin", count: 4) }
        )
        #expect(set.kind == .invalidResponse)
        #expect(set.message == #"the event is for "editor", not "admin""#)

        let globex = #"{"success":true,"data":\#(SetAllAnswer.event("globex", "editor", from: 3, to: 5))}"#
        harness.fake.inject([.json(200, body: globex)], on: .add)
        let add = try #require(
            await commetError { try await harness.client.add(customerID: "acme", featureCode: "editor", count: 2) }
        )
        #expect(add.kind == .invalidResponse)
        #expect(add.message == #"the event for "editor" names another customer, "globex""#)
    }

    /// A hostile customer id of 300 characters holding the key and a line break -> quoted on one line, at most 100
    /// characters, without the key.
    @Test func serverTextInARefusalIsShortenedAndHasNoKey() async throws {
        let harness = try Harness()
        let hostile = "x\\n" + Harness.apiKey + String(repeating: "y", count: 300)
        harness.fake.inject(
            [.json(200, body: SetAllAnswer.list(SetAllAnswer.event(hostile, "editor", from: 3, to: 5)))],
            on: .setAll
        )
        let error = try #require(
            await commetError { try await harness.client.setAll(customerID: "acme", seats: ["editor": 5]) }
        )
        #expect(error.kind == .invalidResponse)
        #expect(!error.description.contains(Harness.apiKey))
        #expect(!error.description.contains("\n"))
        let quoted = try #require(error.message.split(separator: "another customer, ").last)
        #expect(quoted == "\"x [REDACTED]" + String(repeating: "y", count: 88) + "...\"")
    }
}
