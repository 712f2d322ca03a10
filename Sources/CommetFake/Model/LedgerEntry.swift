/// What the fake saw of one request on the Commet API, and what it did with it.
package struct LedgerEntry: Sendable, Hashable {
    /// The request method, as sent (`POST`).
    package var method: String
    /// The request path without the query (`/api/v1/seats/bulk`).
    package var path: String
    /// The decoded query parameters.
    package var query: [String: String]
    /// The seat operation the method and path name; `nil` for anything else.
    package var route: Route?
    /// The `Idempotency-Key` header.
    package var idempotencyKey: String?
    /// Whether an `x-api-key` header was sent (its value is never recorded).
    package var apiKeyPresent: Bool
    /// The `Commet-Version` header.
    package var commetVersion: String?
    /// The `User-Agent` header.
    package var userAgent: String?
    /// The request body as text.
    package var body: String
    /// The status sent back, or 0 when the connection was dropped (or the answer is not sent yet).
    package var status: Int
    /// The `x-request-id` the answer carries (or would have carried, for a dropped connection).
    package var requestID: String?
    /// Whether a write was executed by this request: accepted and carried out, not replayed.
    /// A decrease that a customer with deferred decreases only schedules counts as executed.
    package var applied: Bool
    /// Whether the answer came from the idempotency store.
    package var replayed: Bool
    /// The 1-based index of the TCP connection the request arrived on.
    package var connection: Int
    /// The `customerId` of the body or query, when there is one.
    package var customerID: String?
    /// The counts asked for: one entry for add, remove and set, every named code for setAll.
    package var seats: [String: Int]
}
