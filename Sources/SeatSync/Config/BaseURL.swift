import CommetSeats

/// Checks `commet.base_url` with the client's own rule (``Endpoint/check(_:)``), so a config `check-config`
/// calls valid is one `run` accepts.
enum BaseURL {
    struct Problem: Error {
        var problem: String
    }

    /// - Returns: the URL without trailing slashes, so paths can be appended to it.
    static func validate(_ text: String) throws(Problem) -> String {
        do {
            return try Endpoint.check(text).root
        } catch {
            throw Problem(problem: "\(error.reason), found \"\(text)\"")
        }
    }
}
