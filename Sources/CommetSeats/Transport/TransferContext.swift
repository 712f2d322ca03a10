import TextRules

/// What curl's callbacks collect during one transfer. Reached from C through an unretained pointer, so the
/// transfer keeps it alive until `curl_easy_perform` returns.
final class TransferContext {
    private(set) var body: [UInt8] = []
    private(set) var headers = HTTPHeaders()
    private(set) var overflowed = false
    let cancellation: CancellationFlag
    let bodyLimit: Int

    init(bodyLimit: Int, cancellation: CancellationFlag) {
        self.bodyLimit = bodyLimit
        self.cancellation = cancellation
    }

    /// Appends body bytes; returns the count taken, which curl treats as an error when it is not `count`.
    func appendBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        guard body.count + bytes.count <= bodyLimit else {
            overflowed = true
            return 0
        }
        body.append(contentsOf: bytes)
        return bytes.count
    }

    /// Takes one raw header line. A status line starts a new header block, so that only the final response's
    /// headers remain (after `100 Continue` or a proxy's `CONNECT` answer).
    func appendHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self)
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingASCIIWhitespace()
        let value = line[line.index(after: colon)...].trimmingASCIIWhitespace()
        headers.append(name: name, value: value)
    }
}

@available(*, unavailable)
extension TransferContext: Sendable {}
