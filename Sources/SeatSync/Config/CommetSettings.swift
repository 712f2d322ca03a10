public import CommetSeats

/// The `commet` section: where the API is and how hard to push it.
///
/// The defaults of what the client takes are the client's own (``CommetConfiguration``, ``RetryPolicy``); the rate
/// limit and the concurrency are seat-sync's.
public struct CommetSettings: Sendable, Hashable {
    /// `commet.base_url` (overridden by `COMMET_BASE_URL`).
    public var baseURL: String
    /// `commet.api_key_file` (overridden by `COMMET_API_KEY_FILE`), resolved against the config's folder.
    public var apiKeyFile: String?
    /// `commet.timeout`: the limit for one whole request.
    public var timeout: Duration
    /// `commet.connect_timeout`: the limit for establishing a connection.
    public var connectTimeout: Duration
    /// `commet.max_retries`: retries after the first attempt of a request.
    public var maxRetries: Int
    /// `commet.retry_base_delay`: the backoff before the first retry; each further retry doubles it.
    public var retryBaseDelay: Duration
    /// `commet.retry_max_delay`: the longest backoff between two attempts.
    public var retryMaxDelay: Duration
    /// `commet.requests_per_second`: shared by every request of a pass, reads and writes.
    public var requestsPerSecond: Double
    /// `commet.concurrency`: customers handled at once.
    public var concurrency: Int
    /// `commet.ca_bundle`: a PEM file of trusted CAs instead of the system's, resolved against the config's folder.
    public var caBundle: String?
    /// `commet.proxy`: the proxy for https requests to Commet; nil goes direct, whatever `*_proxy` variables
    /// the environment holds.
    public var proxy: String?

    public init(
        baseURL: String = CommetConfiguration.defaultBaseURL,
        apiKeyFile: String? = nil,
        timeout: Duration = CommetConfiguration.defaultTimeout,
        connectTimeout: Duration = CommetConfiguration.defaultConnectTimeout,
        maxRetries: Int = RetryPolicy().maxRetries,
        retryBaseDelay: Duration = RetryPolicy().baseDelay,
        retryMaxDelay: Duration = RetryPolicy().maxDelay,
        requestsPerSecond: Double = 10,
        concurrency: Int = 4,
        caBundle: String? = nil,
        proxy: String? = nil
    ) {
        self.baseURL = baseURL
        self.apiKeyFile = apiKeyFile
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.maxRetries = maxRetries
        self.retryBaseDelay = retryBaseDelay
        self.retryMaxDelay = retryMaxDelay
        self.requestsPerSecond = requestsPerSecond
        self.concurrency = concurrency
        self.caBundle = caBundle
        self.proxy = proxy
    }
}
