/// Holds a successful answer against the request it answers, so that an answer which cannot be Commet's account
/// of this request (another customer, a code not written, a missing event, a negative count) is never taken as a
/// write applied or as balances to plan from.
///
/// A violation is an ``CommetError/Kind/invalidResponse`` error carrying Commet's request id. It is not retried:
/// a write may have landed whatever the answer said, and the next pass reads the balances again.
struct ResponseCheck {
    var operation: CommetOperation
    var customerID: String
    /// Removed from any server text quoted in an error.
    var apiKey: APIKey

    /// The longest piece of a server's id or code quoted in an error.
    static let quotedLimit = 100

    init(_ request: SeatRequest, apiKey: APIKey) {
        operation = request.operation
        customerID = request.customerID
        self.apiKey = apiKey
    }

    /// setAll: exactly one event per code written (none missing, none extra, none twice), every one for this
    /// customer and at the count written.
    func setAll(_ response: CommetResponse<[SeatEvent]>, seats: [String: Int]) throws(CommetError) {
        var seen: Set<String> = []
        for event in response.value {
            guard seen.insert(event.featureCode).inserted else {
                throw refusal("two events for \(quoted(event.featureCode))", response)
            }
            guard let count = seats[event.featureCode] else {
                throw refusal("an event for \(quoted(event.featureCode)), which was not written", response)
            }
            try check(event, setTo: count, response)
        }
        let missing = seats.keys.filter { !seen.contains($0) }.sorted()
        guard missing.isEmpty else {
            throw refusal("no event for \(missing.map(quoted).joined(separator: ", ")), which was written", response)
        }
        let customers = Set(response.value.map(\.customerID))
        guard customers.count <= 1 else {
            throw refusal("the events name \(customers.count) customers for one setAll", response)
        }
    }

    /// add, remove or set: one event for this customer and code; for set (`setTo`), at the count written.
    func change(_ response: CommetResponse<SeatEvent>, featureCode: String, setTo count: Int?) throws(CommetError) {
        guard response.value.featureCode == featureCode else {
            throw refusal(
                "the event is for \(quoted(response.value.featureCode)), not \(quoted(featureCode))",
                response
            )
        }
        try check(response.value, setTo: count, response)
    }

    /// getAllBalances: every balance at least 0.
    func balances(_ response: CommetResponse<SeatBalanceCollection>) throws(CommetError) {
        for (code, balance) in response.value.balances.sorted(by: { $0.key < $1.key }) where balance.current < 0 {
            throw refusal("the balance of \(quoted(code)) is negative (\(balance.current))", response)
        }
    }

    /// getBalance: a balance of at least 0.
    func balance(_ response: CommetResponse<SeatBalance>, featureCode: String) throws(CommetError) {
        guard response.value.current >= 0 else {
            throw refusal("the balance of \(quoted(featureCode)) is negative (\(response.value.current))", response)
        }
    }

    /// One event: this customer, balances at least 0, and for an absolute write the count written.
    ///
    /// setAll and set are absolute, so `newBalance` must be the count written. The one exception is a decrease
    /// Commet accepts but applies only at renewal: its event may report the balance still in force, which is then
    /// both `previousBalance` and `newBalance`, above the count written. Any other `newBalance` (an increase that
    /// answers a count other than the one asked for, say) means Commet did something other than this write.
    private func check<Value>(
        _ event: SeatEvent,
        setTo count: Int?,
        _ response: CommetResponse<Value>
    )
        throws(CommetError)
    {
        let code = quoted(event.featureCode)
        if Self.isAnotherCustomer(event.customerID, requested: customerID) {
            throw refusal("the event for \(code) names another customer, \(quoted(event.customerID))", response)
        }
        guard event.newBalance >= 0 else {
            throw refusal("the event for \(code) has a negative newBalance (\(event.newBalance))", response)
        }
        if let previous = event.previousBalance, previous < 0 {
            throw refusal("the event for \(code) has a negative previousBalance (\(previous))", response)
        }
        guard let count, event.newBalance != count else { return }
        let deferredDecrease = count < event.newBalance && event.previousBalance == event.newBalance
        guard deferredDecrease else {
            throw refusal(
                "the event for \(code) has newBalance \(event.newBalance), but \(count) was written",
                response
            )
        }
    }

    /// Whether an event's customer is certainly not the one the request named.
    ///
    /// Commet may answer with its own id (`cus_...`) for a request made with the customer's external id (or the
    /// other way round), and nothing in the answer links the two. So only ids of the same kind are compared: a
    /// different `cus_` id, or a different external id, is another customer; ids of different kinds are taken
    /// as two names for the requested one. Ids are compared exactly, as Commet stores them.
    static func isAnotherCustomer(_ answered: String, requested: String) -> Bool {
        answered != requested && answered.hasPrefix("cus_") == requested.hasPrefix("cus_")
    }

    private func quoted(_ text: String) -> String {
        "\"\(ResponseReader.excerpt(text, apiKey: apiKey, limit: Self.quotedLimit))\""
    }

    private func refusal<Value>(_ problem: String, _ response: CommetResponse<Value>) -> CommetError {
        CommetError(
            kind: .invalidResponse,
            message: problem,
            operation: operation,
            customerID: customerID,
            status: response.status,
            requestID: response.requestID,
            attempts: response.attempts
        )
    }
}
