/// Why `state.json` could not be written; the pass's writes have landed but the next pass may not know them.
public struct StateError: Error, Sendable, Hashable, CustomStringConvertible {
    public var file: String
    /// What was being done: `create folder`, `write`, `fsync`, `rename`, ...
    public var step: String
    public var reason: String

    public init(file: String, step: String, reason: String) {
        self.file = file
        self.step = step
        self.reason = reason
    }

    public var description: String { "\(file): cannot \(step): \(reason)" }
}
