import Foundation

/// Checks `commet.base_url`: an absolute http(s) URL, and plain http only to this machine, since the API key
/// travels in a header and must never cross a network in clear text.
enum BaseURL {
    struct Problem: Error {
        var problem: String
    }

    private static let loopbackHosts: Set<String> = ["localhost", "127.0.0.1", "::1", "[::1]"]

    /// - Returns: the URL without trailing slashes, so paths can be appended to it.
    static func validate(_ text: String) throws(Problem) -> String {
        guard let url = URL(string: text), let scheme = url.scheme?.lowercased(), let host = url.host(),
            !host.isEmpty
        else {
            throw Problem(problem: "expected an absolute URL such as https://commet.co/api/v1, found \"\(text)\"")
        }
        guard scheme == "https" || scheme == "http" else {
            throw Problem(problem: "expected an http or https URL, found scheme \"\(scheme)\"")
        }
        if scheme == "http" && !loopbackHosts.contains(host.lowercased()) && !host.hasPrefix("127.") {
            throw Problem(
                problem: "plain http is only allowed to this machine (127.0.0.1, ::1, localhost); "
                    + "use https for \(host)"
            )
        }
        var trimmed = Substring(text)
        while trimmed.hasSuffix("/") { trimmed = trimmed.dropLast() }
        return String(trimmed)
    }
}
