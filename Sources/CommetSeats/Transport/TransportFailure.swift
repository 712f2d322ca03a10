/// Why the transport got no complete response.
enum TransportFailure: Error, Sendable, Equatable {
    /// The attempt ran past its timeout.
    case timeout(String)
    /// The connection failed or broke; `transient` when another attempt may succeed.
    case connection(String, transient: Bool)
    /// An https connection was made, but no TLS session came of it: the handshake timed out, or the answer was
    /// not TLS at all. A server that speaks plain http does either, and another attempt cannot change that.
    case tlsHandshakeUnanswered(String)
    /// The response body was larger than the transport accepts.
    case bodyTooLarge(limit: Int)
    /// The calling task was cancelled while the request ran.
    case cancelled
}
