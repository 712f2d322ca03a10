import CCurl

/// One libcurl easy handle. Reused across requests so that its connection cache keeps the TCP (and TLS)
/// connection alive between them; used from one thread at a time.
final class EasyHandle {
    private let raw: UnsafeMutableRawPointer

    /// Nil when libcurl cannot allocate a handle.
    init?() {
        guard let raw = ccurl_easy_init() else { return nil }
        self.raw = raw
    }

    deinit {
        ccurl_easy_cleanup(raw)
    }

    /// Sends `request` and waits for the whole response. Blocks the calling thread.
    func perform(
        _ request: HTTPRequest,
        settings: TransferSettings,
        cancellation: CancellationFlag
    ) -> Result<HTTPResponse, TransportFailure> {
        let context = TransferContext(bodyLimit: settings.maxResponseBytes, cancellation: cancellation)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer { ccurl_slist_free_all(headerList) }
        // An empty `Expect:` stops curl from waiting for `100 Continue` before sending a body.
        for line in request.headers + ["Expect:"] {
            headerList = ccurl_slist_append(headerList, line)
        }
        var errorBuffer = [CChar](repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        return errorBuffer.withUnsafeMutableBufferPointer { errorBytes in
            // Reset drops every pointer into this call's buffers, context and header list before they go away,
            // and keeps the live connection for the next request.
            defer { ccurl_easy_reset(raw) }
            do throws(TransportFailure) {
                try configure(request, settings: settings, headerList: headerList)
                try check(ccurl_setopt_pointer(raw, CURLOPT_ERRORBUFFER, errorBytes.baseAddress), CURLOPT_ERRORBUFFER)
                try install(context)
            } catch {
                return .failure(error)
            }
            let code = withExtendedLifetime(context) { ccurl_easy_perform(raw) }
            guard code == CURLE_OK else {
                let detail = String(cString: errorBytes.baseAddress!)
                return .failure(failure(code, detail: detail, context: context, request: request, settings: settings))
            }
            var status = 0
            var connects = 0
            _ = ccurl_getinfo_long(raw, CURLINFO_RESPONSE_CODE, &status)
            _ = ccurl_getinfo_long(raw, CURLINFO_NUM_CONNECTS, &connects)
            return .success(
                HTTPResponse(status: status, headers: context.headers, body: context.body, connectionsOpened: connects)
            )
        }
    }

    private func configure(
        _ request: HTTPRequest,
        settings: TransferSettings,
        headerList: UnsafeMutablePointer<curl_slist>?
    ) throws(TransportFailure) {
        try set(CURLOPT_URL, request.url)
        try set(CURLOPT_NOSIGNAL, 1)
        try set(CURLOPT_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_REDIR_PROTOCOLS_STR, "http,https")
        try set(CURLOPT_FOLLOWLOCATION, 0)
        try set(CURLOPT_SSL_VERIFYPEER, 1)
        try set(CURLOPT_SSL_VERIFYHOST, 2)
        if let caBundlePath = settings.caBundlePath {
            try set(CURLOPT_CAINFO, caBundlePath)
        }
        // An empty proxy turns off libcurl's reading of the *_proxy environment variables, and an empty no-proxy
        // list its reading of no_proxy: only the configuration decides where the API key travels.
        try set(CURLOPT_PROXY, settings.proxy ?? "")
        try set(CURLOPT_NOPROXY, "")
        try set(CURLOPT_CONNECTTIMEOUT_MS, settings.connectTimeout.roundedUpMilliseconds)
        try set(CURLOPT_TIMEOUT_MS, settings.timeout.roundedUpMilliseconds)
        try set(CURLOPT_TCP_KEEPALIVE, 1)
        try check(ccurl_setopt_slist(raw, CURLOPT_HTTPHEADER, headerList), CURLOPT_HTTPHEADER)
        switch request.method {
        case .get:
            try set(CURLOPT_HTTPGET, 1)
        case .post, .put:
            if request.method == .put {
                try set(CURLOPT_CUSTOMREQUEST, "PUT")
            }
            // A trailing NUL, not counted in the size, gives even an empty body a valid address.
            let body = (request.body ?? []) + [0]
            try set(CURLOPT_POST, 1)
            try check(
                ccurl_setopt_off_t(raw, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count - 1)),
                CURLOPT_POSTFIELDSIZE_LARGE
            )
            // COPYPOSTFIELDS copies the bytes, so the body need not outlive this call.
            let copied = body.withUnsafeBytes { bytes in
                ccurl_setopt_pointer(raw, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: bytes.baseAddress))
            }
            try check(copied, CURLOPT_COPYPOSTFIELDS)
        }
    }

    private func install(_ context: TransferContext) throws(TransportFailure) {
        let opaque = Unmanaged.passUnretained(context).toOpaque()
        try check(
            ccurl_setopt_write_function(raw, CURLOPT_WRITEFUNCTION) { buffer, size, count, userdata in
                let context = Unmanaged<TransferContext>.fromOpaque(userdata!).takeUnretainedValue()
                return context.appendBody(UnsafeRawBufferPointer(start: buffer, count: size * count))
            },
            CURLOPT_WRITEFUNCTION
        )
        try check(ccurl_setopt_pointer(raw, CURLOPT_WRITEDATA, opaque), CURLOPT_WRITEDATA)
        try check(
            ccurl_setopt_write_function(raw, CURLOPT_HEADERFUNCTION) { buffer, size, count, userdata in
                let context = Unmanaged<TransferContext>.fromOpaque(userdata!).takeUnretainedValue()
                context.appendHeaderLine(UnsafeRawBufferPointer(start: buffer, count: size * count))
                return size * count
            },
            CURLOPT_HEADERFUNCTION
        )
        try check(ccurl_setopt_pointer(raw, CURLOPT_HEADERDATA, opaque), CURLOPT_HEADERDATA)
        // The progress callback is the only way to stop a blocking transfer when its task is cancelled.
        try check(
            ccurl_setopt_xferinfo_function(raw) { userdata, _, _, _, _ in
                let context = Unmanaged<TransferContext>.fromOpaque(userdata!).takeUnretainedValue()
                return context.cancellation.isCancelled ? 1 : 0
            },
            CURLOPT_XFERINFOFUNCTION
        )
        try check(ccurl_setopt_pointer(raw, CURLOPT_XFERINFODATA, opaque), CURLOPT_XFERINFODATA)
        try set(CURLOPT_NOPROGRESS, 0)
    }

    private func failure(
        _ code: CURLcode,
        detail: String,
        context: TransferContext,
        request: HTTPRequest,
        settings: TransferSettings
    ) -> TransportFailure {
        let reason = String(cString: ccurl_easy_strerror(code))
        let message = detail.isEmpty ? "\(reason) (curl \(code.rawValue))" : "\(detail) (curl \(code.rawValue))"
        if request.url.lowercased().hasPrefix("https://"), stoppedInTLSHandshake(throughProxy: settings.proxy != nil) {
            // A plain-http server waits for the end of a request head that a ClientHello never holds, so the
            // handshake runs into the connect timeout; one that answers sends text OpenSSL reads as a record of
            // a "wrong version number". Neither starts speaking TLS on a retry.
            let notTLS = ["wrong version number", "packet length too long"].contains { detail.contains($0) }
            if code == CURLE_OPERATION_TIMEDOUT || (code == CURLE_SSL_CONNECT_ERROR && notTLS) {
                return .tlsHandshakeUnanswered(message)
            }
        }
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timeout(message)
        case CURLE_ABORTED_BY_CALLBACK where context.cancellation.isCancelled:
            return .cancelled
        case CURLE_WRITE_ERROR where context.overflowed:
            return .bodyTooLarge(limit: context.bodyLimit)
        case CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_PARTIAL_FILE, CURLE_HTTP2, CURLE_HTTP2_STREAM,
            CURLE_SSL_CONNECT_ERROR, CURLE_PROXY:
            return .connection(message, transient: true)
        default:
            return .connection(message, transient: false)
        }
    }

    /// Whether the last transfer opened a connection to the server (through the proxy's tunnel, when there is
    /// one) but set up no TLS session on it: the failure happened in the handshake.
    ///
    /// libcurl records the connect time only once the handshake is done too, so the TCP connection shows in the
    /// local port instead; a response that timed out after the handshake has an `APPCONNECT` time, and a reused
    /// connection opened none.
    private func stoppedInTLSHandshake(throughProxy: Bool) -> Bool {
        var opened = 0
        var localPort = 0
        var secured: curl_off_t = 0
        var tunnelStatus = 0
        _ = ccurl_getinfo_long(raw, CURLINFO_NUM_CONNECTS, &opened)
        _ = ccurl_getinfo_long(raw, CURLINFO_LOCAL_PORT, &localPort)
        _ = ccurl_getinfo_off_t(raw, CURLINFO_APPCONNECT_TIME_T, &secured)
        _ = ccurl_getinfo_long(raw, CURLINFO_HTTP_CONNECTCODE, &tunnelStatus)
        return opened > 0 && localPort > 0 && secured == 0 && (!throughProxy || tunnelStatus == 200)
    }

    private func set(_ option: CURLoption, _ value: Int) throws(TransportFailure) {
        try check(ccurl_setopt_long(raw, option, value), option)
    }

    private func set(_ option: CURLoption, _ value: String) throws(TransportFailure) {
        try check(ccurl_setopt_string(raw, option, value), option)
    }

    private func check(_ code: CURLcode, _ option: CURLoption) throws(TransportFailure) {
        guard code == CURLE_OK else {
            let reason = String(cString: ccurl_easy_strerror(code))
            throw .connection("libcurl refused option \(option.rawValue): \(reason)", transient: false)
        }
    }
}

@available(*, unavailable)
extension EasyHandle: Sendable {}
