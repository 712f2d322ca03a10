/// A failed Commet request, or a client that could not be configured.
///
/// Callers branch on ``kind``, ``status`` and ``code``; ``description`` is one log line with everything Commet
/// support needs, e.g.
/// `setAll customer=acme: HTTP 404 customer_not_found (not_found_error): Customer not found [request_id=req_1, attempts=1]`.
public struct CommetError: Error, Sendable, CustomStringConvertible {
    /// What went wrong, broadly.
    public enum Kind: Sendable, Hashable {
        /// Commet answered with a status that is not a success.
        case http
        /// No complete answer within the configured timeout.
        case timeout
        /// The connection could not be made, or broke before the answer was complete.
        case connection
        /// Commet answered with success, but the body is not the expected payload.
        case decoding
        /// Commet answered with success, but the answer contradicts the request (`success: false`, an event
        /// missing or extra, another customer, a negative count). The write may have landed, so it is not
        /// retried: the next pass reads the balances again.
        case invalidResponse
        /// The client's configuration is unusable (for example `http://` to a non-loopback host).
        case configuration
        /// An argument was refused before anything was sent (for example a negative count).
        case invalidArgument
        /// The calling task was cancelled.
        case cancelled
    }

    /// What went wrong, broadly.
    public internal(set) var kind: Kind
    /// A human-readable explanation.
    public internal(set) var message: String
    /// The client operation, e.g. `setAll`.
    public internal(set) var operation: CommetOperation
    /// The customer the operation was for.
    public internal(set) var customerID: String?
    /// The HTTP status, when Commet answered.
    public internal(set) var status: Int?
    /// Commet's error `type`, e.g. `not_found_error`.
    public internal(set) var type: String?
    /// Commet's error `code`, e.g. `customer_not_found`.
    public internal(set) var code: String?
    /// The request field the error is about.
    public internal(set) var param: String?
    /// Per-field problems of a `validation_error`.
    public internal(set) var details: [FieldError] = []
    /// Commet's documentation page for the error.
    public internal(set) var docURL: String?
    /// Commet's `x-request-id` of the last attempt: what Commet support asks for.
    public internal(set) var requestID: String?
    /// The wait Commet asked for with `Retry-After`.
    public internal(set) var retryAfter: Duration?
    /// How many attempts were sent before giving up (0 when nothing was sent).
    public internal(set) var attempts = 0
    /// False for a transport failure that another attempt cannot fix (for example a TLS certificate rejected).
    var isTransient = true

    /// Whether sending the same request again (with the same idempotency key) may succeed: 408, 500, 502, 503,
    /// 504, 429 with `Retry-After`, 409 `idempotency_in_progress`, timeouts and transient connection failures.
    public var isRetryable: Bool {
        switch kind {
        case .timeout:
            return true
        case .connection:
            return isTransient
        case .http:
            switch status {
            case 408, 500, 502, 503, 504: return true
            case 429: return retryAfter != nil
            case 409: return code == "idempotency_in_progress"
            default: return false
            }
        case .decoding, .invalidResponse, .configuration, .invalidArgument, .cancelled:
            return false
        }
    }

    public var description: String {
        var line = operation.rawValue
        if let customerID {
            line += " customer=\(customerID)"
        }
        line += ": " + summary
        var qualifiers: [String] = []
        if let param {
            qualifiers.append("param=\(param)")
        }
        qualifiers += details.map(\.description)
        if !qualifiers.isEmpty {
            line += " (\(qualifiers.joined(separator: "; ")))"
        }
        var context: [String] = []
        if let requestID {
            context.append("request_id=\(requestID)")
        }
        if let retryAfter {
            context.append("retry_after=\(retryAfter.secondsText)")
        }
        if attempts > 0 {
            context.append("attempts=\(attempts)")
        }
        if !context.isEmpty {
            line += " [\(context.joined(separator: ", "))]"
        }
        return line
    }

    private var summary: String {
        switch kind {
        case .http:
            var head = "HTTP \(status.map(String.init) ?? "?")"
            if let code {
                head += " \(code)"
            }
            if let type {
                head += " (\(type))"
            }
            return "\(head): \(message)"
        case .timeout:
            return "timed out: \(message)"
        case .connection:
            return "connection failed: \(message)"
        case .decoding:
            return "HTTP \(status.map(String.init) ?? "?") response not understood: \(message)"
        case .invalidResponse:
            return "HTTP \(status.map(String.init) ?? "?") response refused: \(message)"
        case .configuration:
            return "invalid configuration: \(message)"
        case .invalidArgument:
            return "invalid argument: \(message)"
        case .cancelled:
            return "cancelled: \(message)"
        }
    }
}
