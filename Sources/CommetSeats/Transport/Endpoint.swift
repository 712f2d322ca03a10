#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A validated API root and the URLs of the operations under it.
///
/// Plain `http://` would send the API key in clear text, so it is accepted only for a loopback host
/// (127.0.0.0/8, `::1`, `localhost`), where the tests' fake server lives.
package struct Endpoint: Sendable, Hashable {
    /// The root without a trailing slash, e.g. `https://commet.co/api/v1`.
    package let root: String
    /// Whether requests go over TLS (`https`), rather than plain http to a loopback host.
    let usesTLS: Bool
    /// The server as `host:port`, with the scheme's default port when the URL names none, for error messages.
    let server: String

    private init(root: String, usesTLS: Bool, server: String) {
        self.root = root
        self.usesTLS = usesTLS
        self.server = server
    }

    /// Why a base URL is refused, in words a config error can carry.
    package struct Problem: Error, Sendable {
        package var reason: String
    }

    /// Validates `baseURL`.
    /// - Throws: `CommetError` of kind `.configuration` naming what is wrong.
    init(validating baseURL: String) throws(CommetError) {
        do {
            self = try Self.check(baseURL)
        } catch {
            throw CommetError(
                kind: .configuration,
                message: "base URL \"\(baseURL)\": \(error.reason)",
                operation: .configure
            )
        }
    }

    /// The one rule for a Commet base URL, which the config's check calls too: `check-config` and the client
    /// must never disagree.
    /// - Throws: ``Problem`` saying what is wrong.
    package static func check(_ baseURL: String) throws(Problem) -> Endpoint {
        func refuse(_ reason: String) -> Problem { Problem(reason: reason) }
        guard baseURL.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            throw refuse("contains spaces or control characters")
        }
        guard let separator = baseURL.firstRange(of: "://") else {
            throw refuse("not an absolute URL")
        }
        let scheme = baseURL[..<separator.lowerBound].lowercased()
        guard scheme == "https" || scheme == "http" else {
            throw refuse("scheme must be https (or http to a loopback host), not \(scheme)")
        }
        guard !baseURL.contains("?"), !baseURL.contains("#") else {
            throw refuse("must not have a query or fragment")
        }
        let afterScheme = baseURL[separator.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.contains("@") else {
            throw refuse("must not carry credentials; the API key is configured on its own")
        }
        guard case let (host, port)? = Self.split(authority: authority) else {
            throw refuse("has no valid host")
        }
        if let port {
            guard let number = Int(port), (1...65535).contains(number) else { throw refuse("port \(port) is invalid") }
        }
        guard scheme == "https" || Self.isLoopback(host) else {
            throw refuse("plain http is only allowed to a loopback host (127.0.0.0/8, ::1, localhost), not \(host)")
        }
        let usesTLS = scheme == "https"
        let bracketed = host.contains(":") ? "[\(host)]" : host
        var root = baseURL
        while root.hasSuffix("/") {
            root.removeLast()
        }
        return Endpoint(root: root, usesTLS: usesTLS, server: "\(bracketed):\(port ?? (usesTLS ? "443" : "80"))")
    }

    /// The URL of `path` under the root, with `query` percent-encoded.
    func url(_ path: String, query: [(name: String, value: String)] = []) -> String {
        guard !query.isEmpty else { return root + path }
        let encoded = query.map { "\(Self.percentEncoded($0.name))=\(Self.percentEncoded($0.value))" }
        return root + path + "?" + encoded.joined(separator: "&")
    }

    /// Host and optional port of an authority (`host`, `host:port`, `[v6]`, `[v6]:port`); nil when malformed.
    static func split(authority: Substring) -> (host: String, port: String?)? {
        if authority.hasPrefix("[") {
            guard let close = authority.firstIndex(of: "]") else { return nil }
            let host = String(authority[authority.index(after: authority.startIndex)..<close])
            let rest = authority[authority.index(after: close)...]
            guard !host.isEmpty else { return nil }
            if rest.isEmpty { return (host, nil) }
            guard rest.hasPrefix(":") else { return nil }
            return (host, String(rest.dropFirst()))
        }
        let parts = authority.split(separator: ":", omittingEmptySubsequences: false)
        guard let host = parts.first, !host.isEmpty, parts.count <= 2 else { return nil }
        return (String(host), parts.count == 2 ? String(parts[1]) : nil)
    }

    /// Whether `host` always names this machine.
    static func isLoopback(_ host: String) -> Bool {
        let name = host.lowercased()
        if name == "localhost" || name == "localhost." {
            return true
        }
        var v4 = in_addr()
        if inet_pton(AF_INET, name, &v4) == 1 {
            return UInt32(bigEndian: v4.s_addr) >> 24 == 127
        }
        var v6 = in6_addr()
        var loopback = in6_addr()
        guard inet_pton(AF_INET6, name, &v6) == 1, inet_pton(AF_INET6, "::1", &loopback) == 1 else { return false }
        return withUnsafeBytes(of: &v6) { a in withUnsafeBytes(of: &loopback) { b in a.elementsEqual(b) } }
    }

    /// RFC 3986 percent-encoding of everything but the unreserved characters.
    static func percentEncoded(_ text: String) -> String {
        var result = ""
        for byte in text.utf8 {
            switch byte {
            case UInt8(ascii: "A")...UInt8(ascii: "Z"), UInt8(ascii: "a")...UInt8(ascii: "z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "."), UInt8(ascii: "_"),
                UInt8(ascii: "~"):
                result.unicodeScalars.append(Unicode.Scalar(byte))
            default:
                let hex = Array("0123456789ABCDEF".unicodeScalars)
                result.unicodeScalars.append("%")
                result.unicodeScalars.append(hex[Int(byte >> 4)])
                result.unicodeScalars.append(hex[Int(byte & 0x0F)])
            }
        }
        return result
    }
}
