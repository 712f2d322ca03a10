/// One HTTP/1.1 answer, ready to be written to a connection.
struct HTTPResponse: Sendable {
    var status: Int
    var headers: [(name: String, value: String)]
    var body: [UInt8]

    init(status: Int, contentType: String, body: [UInt8], requestID: String) {
        self.status = status
        self.headers = [("Content-Type", contentType), ("x-request-id", requestID)]
        self.body = body
    }

    /// A JSON answer.
    init(status: Int, json: JSONValue, requestID: String) {
        self.init(status: status, contentType: "application/json", body: json.encoded, requestID: requestID)
    }

    /// A Commet error answer, with `Retry-After` when the error carries one.
    init(error: APIError, requestID: String) {
        self.init(status: error.status, json: error.body, requestID: requestID)
        if let retryAfter = error.retryAfter {
            headers.append(("Retry-After", retryAfter))
        }
    }

    /// The bytes on the wire: status line, headers, `Content-Length`, `Connection`, body.
    func serialized(closing: Bool) -> [UInt8] {
        var head = "HTTP/1.1 \(status) \(Self.reason(for: status))\r\n"
        for header in headers {
            head += "\(header.name): \(header.value)\r\n"
        }
        head += "Content-Length: \(body.count)\r\n"
        head += "Connection: \(closing ? "close" : "keep-alive")\r\n\r\n"
        return Array(head.utf8) + body
    }

    private static func reason(for status: Int) -> String {
        switch status {
        case 200: "OK"
        case 201: "Created"
        case 400: "Bad Request"
        case 401: "Unauthorized"
        case 403: "Forbidden"
        case 404: "Not Found"
        case 408: "Request Timeout"
        case 409: "Conflict"
        case 411: "Length Required"
        case 413: "Content Too Large"
        case 422: "Unprocessable Content"
        case 429: "Too Many Requests"
        case 431: "Request Header Fields Too Large"
        case 500: "Internal Server Error"
        case 502: "Bad Gateway"
        case 503: "Service Unavailable"
        case 504: "Gateway Timeout"
        default: "Status \(status)"
        }
    }
}
