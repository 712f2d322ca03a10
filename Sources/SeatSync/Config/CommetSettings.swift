import CommetSeats

/// The `commet` section: where the API is and how hard to push it.
///
/// The defaults of what the client takes are the client's own (``CommetConfiguration``, ``RetryPolicy``); the rate
/// limit and the concurrency are seat-sync's.
package struct CommetSettings: Sendable, Hashable {
    /// `commet.base_url` (overridden by `COMMET_BASE_URL`).
    package var baseURL = CommetConfiguration.defaultBaseURL
    /// `commet.api_key_file` (overridden by `COMMET_API_KEY_FILE`), resolved against the config's folder.
    package var apiKeyFile: String?
    /// `commet.timeout`: the limit for one whole request.
    package var timeout = CommetConfiguration.defaultTimeout
    /// `commet.connect_timeout`: the limit for establishing a connection.
    package var connectTimeout = CommetConfiguration.defaultConnectTimeout
    /// `commet.max_retries`: retries after the first attempt of a request.
    package var maxRetries = RetryPolicy().maxRetries
    /// `commet.retry_base_delay`: the backoff before the first retry; each further retry doubles it.
    package var retryBaseDelay = RetryPolicy().baseDelay
    /// `commet.retry_max_delay`: the longest backoff between two attempts.
    package var retryMaxDelay = RetryPolicy().maxDelay
    /// `commet.requests_per_second`: shared by every request of a pass, reads and writes.
    package var requestsPerSecond: Double = 10
    /// `commet.concurrency`: customers handled at once.
    package var concurrency = 4
    /// `commet.ca_bundle`: a PEM file of trusted CAs instead of the system's, resolved against the config's folder.
    package var caBundle: String?
    /// `commet.proxy`: the proxy for https requests to Commet; nil goes direct, whatever `*_proxy` variables
    /// the environment holds.
    package var proxy: String?
}
