#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The checks a configuration must pass before a client is built from it (the base URL has its own, in
/// ``Endpoint``).
enum ConfigurationCheck {
    /// - Throws: `CommetError` of kind `.configuration` naming the first problem.
    static func validate(_ configuration: CommetConfiguration) throws(CommetError) {
        func refuse(_ message: String) -> CommetError {
            CommetError(kind: .configuration, message: message, operation: .configure)
        }
        let secret = configuration.apiKey.secret
        if let problem = APIKey.problem(with: secret) { throw refuse("the API key \(problem)") }
        guard configuration.timeout > .zero else { throw refuse("timeout must be positive") }
        guard configuration.connectTimeout > .zero else { throw refuse("connectTimeout must be positive") }
        let retry = configuration.retry
        guard retry.maxRetries >= 0 else { throw refuse("retry.maxRetries must not be negative") }
        guard retry.baseDelay >= .zero, retry.maxDelay >= .zero, retry.maxRetryAfter >= .zero else {
            throw refuse("retry delays must not be negative")
        }
        guard (0...1).contains(retry.jitter) else { throw refuse("retry.jitter must be between 0 and 1") }
        if let rate = configuration.requestsPerSecond {
            guard rate.isFinite, rate > 0 else { throw refuse("requestsPerSecond must be positive, got \(rate)") }
        }
        if let path = configuration.caBundlePath {
            guard access(path, R_OK) == 0 else { throw refuse("CA bundle \(path) is not readable") }
        }
        if let proxy = configuration.proxy, let problem = ProxyURL.problem(with: proxy) {
            throw refuse("proxy: \(problem)")
        }
        guard configuration.userAgent.unicodeScalars.allSatisfy({ $0.value >= 0x20 && $0.value != 0x7F }) else {
            throw refuse("userAgent contains control characters")
        }
    }
}
