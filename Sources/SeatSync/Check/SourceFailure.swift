/// A source that could not be read, named by its configured name; any of these aborts a pass before it writes.
public struct SourceFailure: Error, Sendable, CustomStringConvertible {
    /// The configured source name.
    public var source: String
    /// The reader's own error, which names the file and line.
    public var reason: String

    public init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    public var description: String { "source \(source): \(reason)" }
}
