/// A successful answer from Commet, with what it took to get it.
public struct CommetResponse<Value: Sendable>: Sendable {
    /// The decoded payload.
    public var value: Value
    /// Commet's `x-request-id` of the successful attempt.
    public var requestID: String?
    /// How many attempts were sent, counting the successful one.
    public var attempts: Int
    /// The HTTP status of the successful attempt.
    public var status: Int

    /// Creates a response.
    public init(value: Value, requestID: String?, attempts: Int, status: Int) {
        self.value = value
        self.requestID = requestID
        self.attempts = attempts
        self.status = status
    }
}
