/// A source that could not be read, named by its configured name; any of these aborts a pass before it writes.
package struct SourceFailure: Error, Sendable, CustomStringConvertible {
    /// The configured source name.
    package var source: String
    /// The reader's own error, which names the file and line.
    package var reason: String

    package init(source: String, reason: String) {
        self.source = source
        self.reason = reason
    }

    package var description: String { "source \(source): \(reason)" }
}
