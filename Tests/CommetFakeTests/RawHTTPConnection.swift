import Foundation
import Glibc

/// An answer as read off the wire.
struct RawResponse {
    var status: Int
    /// Header values by lowercased name.
    var headers: [String: String]
    var body: String

    /// The body parsed as JSON.
    var json: Any? {
        try? JSONSerialization.jsonObject(with: Data(body.utf8), options: [.fragmentsAllowed])
    }

    /// `error.code` of a Commet error body.
    var errorCode: String? {
        ((json as? [String: Any])?["error"] as? [String: Any])?["code"] as? String
    }

    /// `data` of an enveloped success body.
    var data: [String: Any]? {
        (json as? [String: Any])?["data"] as? [String: Any]
    }
}

/// One TCP connection to the fake, speaking HTTP/1.1 by hand so that tests see exactly
/// what goes over the wire: which connection carries what, and when a server drops it.
final class RawHTTPConnection {
    struct Failure: Error, CustomStringConvertible {
        var description: String
    }

    private let descriptor: Int32
    private var buffer: [UInt8] = []

    init(port: UInt16) throws {
        // The descriptor is stored only once connected: a class whose properties are all set runs its deinit when
        // its init throws, and closing the descriptor here and again there closed whatever descriptor another test
        // had opened under the same number in between (seen as a fake's connection "closed without an answer").
        let fd = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard fd >= 0 else { throw Failure(description: "socket: errno \(errno)") }
        // A fake that never answers fails the test after 10 s instead of hanging it.
        var timeout = timeval(tv_sec: 10, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        let connected = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                connect(fd, $0, socklen_t(MemoryLayout<sockaddr_in>.size))
            }
        }
        guard connected == 0 else {
            let code = errno
            close(fd)
            throw Failure(description: "connect 127.0.0.1:\(port): errno \(code)")
        }
        descriptor = fd
    }

    deinit {
        close(descriptor)
    }

    /// Sends a request and reads its answer; `nil` when the server closed the connection instead.
    func send(
        _ method: String,
        _ target: String,
        body: String? = nil,
        headers: [String: String] = [:]
    ) throws -> RawResponse? {
        var head = "\(method) \(target) HTTP/1.1\r\nHost: 127.0.0.1\r\n"
        for (name, value) in headers.sorted(by: { $0.key < $1.key }) {
            head += "\(name): \(value)\r\n"
        }
        if let body {
            head += "Content-Type: application/json\r\nContent-Length: \(body.utf8.count)\r\n"
        }
        try write(head + "\r\n" + (body ?? ""))
        return try readResponse()
    }

    func write(_ text: String) throws {
        let bytes = Array(text.utf8)
        var sent = 0
        while sent < bytes.count {
            let count = bytes[sent...].withUnsafeBytes {
                Glibc.send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL))
            }
            guard count > 0 else { throw Failure(description: "send: errno \(errno)") }
            sent += count
        }
    }

    /// Reads one answer; `nil` when the connection ends before a status line.
    func readResponse() throws -> RawResponse? {
        guard let headEnd = try fill(until: { Self.find([13, 10, 13, 10], in: $0) }) else { return nil }
        let head = String(decoding: buffer[..<headEnd], as: UTF8.self)
        buffer.removeFirst(headEnd + 4)
        let lines = head.components(separatedBy: "\r\n")
        let statusParts = lines[0].split(separator: " ")
        guard statusParts.count >= 2, let status = Int(statusParts[1]) else {
            throw Failure(description: "bad status line '\(lines[0])'")
        }
        var headers: [String: String] = [:]
        for line in lines.dropFirst() {
            let parts = line.split(separator: ":", maxSplits: 1)
            headers[parts[0].lowercased()] = parts.count > 1 ? parts[1].trimmingCharacters(in: .whitespaces) : ""
        }
        let length = Int(headers["content-length"] ?? "0") ?? 0
        guard try fill(until: { $0.count >= length ? length : nil }) != nil else {
            throw Failure(description: "connection closed inside a body")
        }
        let body = String(decoding: buffer[..<length], as: UTF8.self)
        buffer.removeFirst(length)
        return RawResponse(status: status, headers: headers, body: body)
    }

    /// Whether the server has closed the connection (reads end of stream, nothing pending).
    func isClosedByServer() throws -> Bool {
        try fill(until: { $0.isEmpty ? nil : 0 }) == nil && buffer.isEmpty
    }

    /// Reads until `found` returns a position in the buffer; `nil` at end of stream.
    private func fill(until found: ([UInt8]) -> Int?) throws -> Int? {
        var chunk = [UInt8](repeating: 0, count: 16 * 1024)
        while true {
            if let position = found(buffer) { return position }
            let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
            if count == 0 || (count < 0 && errno == ECONNRESET) { return nil }
            guard count > 0 else { throw Failure(description: "recv: errno \(errno)") }
            buffer.append(contentsOf: chunk[..<count])
        }
    }

    private static func find(_ needle: [UInt8], in haystack: [UInt8]) -> Int? {
        guard haystack.count >= needle.count else { return nil }
        return (0...(haystack.count - needle.count)).first { Array(haystack[$0..<($0 + needle.count)]) == needle }
    }
}
