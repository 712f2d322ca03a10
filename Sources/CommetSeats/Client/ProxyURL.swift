/// The rule for a proxy URL (`commet.proxy`): the one place both the config and the client check it.
///
/// A proxy is `http://host[:port]` (requests tunnel through it with `CONNECT`) or `https://host[:port]` (the same,
/// over TLS to the proxy), with nothing after the authority. Credentials in the URL are refused: they would be
/// a second secret in the config file in clear text, and would travel in any message that quotes the URL.
package enum ProxyURL {
    /// What is wrong with `text` as a proxy URL, or nil when it is usable.
    package static func problem(with text: String) -> String? {
        guard text.unicodeScalars.allSatisfy({ $0.value > 0x20 && $0.value != 0x7F }) else {
            return "contains spaces or control characters"
        }
        guard let separator = text.firstRange(of: "://") else {
            return "expected a URL such as http://proxy.example:3128"
        }
        let scheme = text[..<separator.lowerBound].lowercased()
        guard scheme == "http" || scheme == "https" else {
            return "scheme must be http or https, not \(scheme)"
        }
        let afterScheme = text[separator.upperBound...]
        let authority = afterScheme.prefix { $0 != "/" }
        guard !authority.contains("@") else {
            return "must not carry credentials"
        }
        guard case let (_, port)? = Endpoint.split(authority: authority) else {
            return "has no valid host"
        }
        if let port {
            guard let number = Int(port), (1...65535).contains(number) else { return "port \(port) is invalid" }
        }
        let rest = afterScheme.dropFirst(authority.count)
        guard rest.isEmpty || rest == "/" else {
            return "must be only scheme, host and port, without a path, query or fragment"
        }
        return nil
    }
}
