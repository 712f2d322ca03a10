/// The per-client options every transfer uses.
struct TransferSettings: Sendable, Hashable {
    var timeout: Duration
    var connectTimeout: Duration
    var caBundlePath: String?
    /// The proxy every request goes through; nil goes direct, whatever the environment's `http_proxy`,
    /// `https_proxy`, `all_proxy` or `no_proxy` say.
    var proxy: String?
    /// Responses larger than this are refused: seat payloads are small, and a runaway body must not fill memory.
    var maxResponseBytes: Int = 8 << 20
}
