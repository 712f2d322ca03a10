/// The per-client options every transfer uses.
struct TransferSettings: Sendable, Hashable {
    var timeout: Duration
    var connectTimeout: Duration
    var caBundlePath: String?
    /// Responses larger than this are refused: seat payloads are small, and a runaway body must not fill memory.
    var maxResponseBytes: Int = 8 << 20
}
