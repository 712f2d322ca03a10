/// Everything a ``CommetSeatsClient`` needs to reach Commet.
public struct CommetConfiguration: Sendable {
    /// The API root, including `/api/v1`. Plain `http://` is accepted only for a loopback host.
    public var baseURL: String
    /// The key sent as `x-api-key`.
    public var apiKey: APIKey
    /// The limit on one attempt, from connecting to the last byte of the response.
    public var timeout: Duration
    /// The limit on establishing the connection (TCP and TLS).
    public var connectTimeout: Duration
    /// How failed attempts are retried.
    public var retry: RetryPolicy
    /// A limit on attempts per second shared by every request of the client, retries included; nil for none.
    public var requestsPerSecond: Double?
    /// A PEM file of CA certificates to trust instead of the system's.
    public var caBundlePath: String?
    /// The `User-Agent` header.
    public var userAgent: String
    /// The proxy for https requests (`http://host:port` or `https://host:port`, see ``ProxyURL``); nil goes
    /// direct. The environment's `*_proxy` variables are never used, and plain http never goes through a proxy.
    public var proxy: String?

    /// Commet's production API root, the default ``baseURL``.
    public static let defaultBaseURL = "https://commet.co/api/v1"
    /// The default ``timeout``.
    public static let defaultTimeout: Duration = .seconds(30)
    /// The default ``connectTimeout``.
    public static let defaultConnectTimeout: Duration = .seconds(10)

    /// Creates a configuration.
    /// - Parameters:
    ///   - baseURL: the API root, by default `https://commet.co/api/v1`.
    ///   - apiKey: the key sent as `x-api-key`.
    ///   - timeout: the limit on one attempt, by default 30 s.
    ///   - connectTimeout: the limit on connecting, by default 10 s.
    ///   - retry: the retry policy, by default the SDKs' (3 retries, 1 s backoff doubling to at most 8 s).
    ///   - requestsPerSecond: a client-wide attempt rate limit, by default none.
    ///   - caBundlePath: a PEM CA bundle to trust instead of the system's.
    ///   - userAgent: the `User-Agent` header, by default `seat-sync/<version>`.
    ///   - proxy: the proxy for https requests, by default none.
    public init(
        baseURL: String = defaultBaseURL,
        apiKey: APIKey,
        timeout: Duration = defaultTimeout,
        connectTimeout: Duration = defaultConnectTimeout,
        retry: RetryPolicy = RetryPolicy(),
        requestsPerSecond: Double? = nil,
        caBundlePath: String? = nil,
        userAgent: String = "seat-sync/\(CommetSeats.version)",
        proxy: String? = nil
    ) {
        self.baseURL = baseURL
        self.apiKey = apiKey
        self.timeout = timeout
        self.connectTimeout = connectTimeout
        self.retry = retry
        self.requestsPerSecond = requestsPerSecond
        self.caBundlePath = caBundlePath
        self.userAgent = userAgent
        self.proxy = proxy
    }
}
