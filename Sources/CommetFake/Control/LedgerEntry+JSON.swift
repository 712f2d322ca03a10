extension LedgerEntry {
    /// The entry as `GET /_fake/ledger` lists it, with the property names as keys.
    var json: JSONValue {
        func optional(_ text: String?) -> JSONValue { text.map(JSONValue.string) ?? .null }
        return [
            "method": .string(method),
            "path": .string(path),
            "query": .object(query.mapValues(JSONValue.string)),
            "route": optional(route?.rawValue),
            "idempotencyKey": optional(idempotencyKey),
            "apiKeyPresent": .bool(apiKeyPresent),
            "commetVersion": optional(commetVersion),
            "userAgent": optional(userAgent),
            "body": .string(body),
            "status": .integer(status),
            "requestID": optional(requestID),
            "applied": .bool(applied),
            "replayed": .bool(replayed),
            "connection": .integer(connection),
            "customerID": optional(customerID),
            "seats": .object(seats.mapValues(JSONValue.integer)),
        ]
    }
}
