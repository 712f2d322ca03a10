extension LedgerEntry {
    /// The entry for a request that just arrived: not answered yet, nothing applied.
    ///
    /// The customer and counts are read leniently, so that a request the fake refuses as
    /// invalid still shows what it asked for.
    init(request: HTTPRequest, route: Route?, connection: Int, requestID: String) {
        let document = try? JSONValue(parsing: request.body)
        var seats: [String: Int] = [:]
        if let code = document?["featureCode"]?.stringValue, let count = document?["count"]?.integerValue {
            seats[code] = count
        }
        for (code, value) in document?["seats"]?.objectValue ?? [:] {
            seats[code] = value.integerValue
        }
        self.init(
            method: request.method,
            path: request.path,
            query: request.query,
            route: route,
            idempotencyKey: request.header("Idempotency-Key"),
            apiKeyPresent: request.header("x-api-key") != nil,
            commetVersion: request.header("Commet-Version"),
            userAgent: request.header("User-Agent"),
            body: String(decoding: request.body, as: UTF8.self),
            status: 0,
            requestID: requestID,
            applied: false,
            replayed: false,
            connection: connection,
            customerID: document?["customerId"]?.stringValue ?? request.query["customerId"],
            seats: seats
        )
    }
}
