package import CommetSeats

extension CommetSettings {
    /// The client configuration the daemon, `--once` and `seats` all use, so every path has the same retries,
    /// timeouts and rate limit. Each `commet` key the client takes is copied as ``ConfigTable/commet`` says; what
    /// no key sets keeps the client's default.
    /// - Parameter apiKey: the key from ``APIKeyLoader``.
    package func clientConfiguration(apiKey: APIKey) -> CommetConfiguration {
        var configuration = CommetConfiguration(apiKey: apiKey)
        for key in ConfigTable.commet.keys { key.copyToClient?(self, &configuration) }
        return configuration
    }
}
