/// Why the transport got no complete response.
enum TransportFailure: Error, Sendable, Equatable {
    /// The attempt ran past its timeout.
    case timeout(String)
    /// The connection failed or broke; `transient` when another attempt may succeed.
    case connection(String, transient: Bool)
    /// The response body was larger than the transport accepts.
    case bodyTooLarge(limit: Int)
    /// The calling task was cancelled while the request ran.
    case cancelled
}
