import Foundation
import Glibc
import TextRules

/// One accepted TCP connection: reads requests off it and writes answers to it.
///
/// Used by the one thread that serves the connection; the server may only `shutdown` the
/// descriptor from another thread, never close it.
struct Connection {
    enum Next {
        case request(HTTPRequest)
        /// The peer closed the connection (or it was shut down) between requests.
        case closed
        /// The request cannot be read; answer this and close.
        case unreadable(APIError)
    }

    static let maximumHeadSize = 64 * 1024
    static let maximumBodySize = 1024 * 1024

    let descriptor: Int32
    private var buffer: [UInt8] = []

    init(descriptor: Int32) {
        self.descriptor = descriptor
    }

    mutating func nextRequest() -> Next {
        var searchFrom = 0
        while true {
            if let headEnd = Self.endOfHead(in: buffer, from: searchFrom) {
                let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
                buffer.removeFirst(headEnd + 4)
                return parse(head: head)
            }
            guard buffer.count <= Self.maximumHeadSize else {
                return .unreadable(APIError(status: 431, code: "invalid_request", message: "request head over 64 KiB"))
            }
            searchFrom = max(0, buffer.count - 3)
            guard receive() else { return .closed }
        }
    }

    /// Writes the whole answer; a peer that went away is not an error worth reporting.
    func send(_ bytes: [UInt8]) {
        var sent = 0
        while sent < bytes.count {
            let result = bytes[sent...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            if result < 0 && errno == EINTR { continue }
            guard result > 0 else { return }
            sent += result
        }
    }

    private mutating func parse(head: String) -> Next {
        let lines = head.components(separatedBy: "\r\n")
        let requestLine = lines[0].split(separator: " ", omittingEmptySubsequences: false)
        guard requestLine.count == 3, requestLine[2].hasPrefix("HTTP/1.") else {
            return .unreadable(APIError(status: 400, code: "invalid_request", message: "malformed request line"))
        }
        var headers: [(name: String, value: String)] = []
        for line in lines.dropFirst() {
            guard let colon = line.firstIndex(of: ":") else {
                return .unreadable(APIError(status: 400, code: "invalid_request", message: "malformed header line"))
            }
            headers.append(
                (String(line[..<colon]), line[line.index(after: colon)...].trimmingASCIIWhitespace())
            )
        }
        let (path, query) = HTTPRequest.split(target: String(requestLine[1]))
        var request = HTTPRequest(
            method: String(requestLine[0]),
            path: path,
            query: query,
            headers: headers,
            body: [],
            wantsClose: false
        )
        let connectionTokens = request.header("Connection")?.lowercased() ?? ""
        request.wantsClose =
            requestLine[2] == "HTTP/1.0" ? !connectionTokens.contains("keep-alive") : connectionTokens.contains("close")
        if request.header("Transfer-Encoding") != nil {
            return .unreadable(
                APIError(
                    status: 411,
                    code: "length_required",
                    message: "chunked request bodies are not supported: send Content-Length"
                )
            )
        }
        let length: Int
        switch request.header("Content-Length").map({ Int($0) }) {
        case nil: length = 0
        case .some(let value?) where value >= 0: length = value
        case .some: return .unreadable(APIError(status: 400, code: "invalid_request", message: "bad Content-Length"))
        }
        guard length <= Self.maximumBodySize else {
            return .unreadable(APIError(status: 413, code: "payload_too_large", message: "request body over 1 MiB"))
        }
        if length > buffer.count, request.header("Expect")?.lowercased() == "100-continue" {
            send(Array("HTTP/1.1 100 Continue\r\n\r\n".utf8))
        }
        while buffer.count < length {
            guard receive() else { return .closed }
        }
        request.body = Array(buffer[..<length])
        buffer.removeFirst(length)
        return .request(request)
    }

    /// Reads what is available; `false` when the connection is closed or failed.
    private mutating func receive() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count < 0 && errno == EINTR { continue }
            guard count > 0 else { return false }
            buffer.append(contentsOf: chunk[..<count])
            return true
        }
    }

    /// The offset of the blank line that ends the head, if the buffer holds it.
    private static func endOfHead(in buffer: [UInt8], from start: Int) -> Int? {
        guard buffer.count >= 4, start <= buffer.count - 4 else { return nil }
        for index in start...(buffer.count - 4)
        where buffer[index] == 13 && buffer[index + 1] == 10 && buffer[index + 2] == 13 && buffer[index + 3] == 10 {
            return index
        }
        return nil
    }
}
