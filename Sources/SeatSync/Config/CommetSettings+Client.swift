public import CommetSeats

extension CommetSettings {
    /// The client configuration the daemon, `--once` and `seats` all use, so every path has the same retries,
    /// timeouts and rate limit.
    /// - Parameter apiKey: the key from ``APIKeyLoader``.
    public func clientConfiguration(apiKey: APIKey) -> CommetConfiguration {
        CommetConfiguration(
            baseURL: baseURL,
            apiKey: apiKey,
            timeout: timeout,
            connectTimeout: connectTimeout,
            retry: RetryPolicy(maxRetries: maxRetries, baseDelay: retryBaseDelay, maxDelay: retryMaxDelay),
            requestsPerSecond: requestsPerSecond,
            caBundlePath: caBundle,
            proxy: proxy
        )
    }
}
