import Foundation

/// One HTTP/1.1 request as read off a connection.
struct HTTPRequest: Sendable {
    var method: String
    /// The target's path, without the query.
    var path: String
    /// The target's query parameters, percent-decoded; the last of a repeated name wins.
    var query: [String: String]
    var headers: [(name: String, value: String)]
    var body: [UInt8]
    /// Whether the client asked to close the connection after the answer.
    var wantsClose: Bool

    /// The first value of a header, matched case-insensitively.
    func header(_ name: String) -> String? {
        headers.first { $0.name.lowercased() == name.lowercased() }?.value
    }

    /// Splits a request target into its path and decoded query parameters.
    static func split(target: String) -> (path: String, query: [String: String]) {
        guard let mark = target.firstIndex(of: "?") else { return (target, [:]) }
        var query: [String: String] = [:]
        for pair in target[target.index(after: mark)...].split(separator: "&") {
            let parts = pair.split(separator: "=", maxSplits: 1, omittingEmptySubsequences: false)
            let name = decode(parts[0])
            query[name] = parts.count > 1 ? decode(parts[1]) : ""
        }
        return (String(target[..<mark]), query)
    }

    private static func decode(_ text: Substring) -> String {
        let spaced = text.replacingOccurrences(of: "+", with: " ")
        return spaced.removingPercentEncoding ?? spaced
    }
}
