/// Why `state.json` could not be written; the pass's writes have landed but the next pass may not know them.
struct StateError: Error, Sendable, Hashable, CustomStringConvertible {
    var file: String
    /// What was being done: `create folder`, `write`, `fsync`, `rename`, ...
    var step: String
    var reason: String

    init(file: String, step: String, reason: String) {
        self.file = file
        self.step = step
        self.reason = reason
    }

    var description: String { "\(file): cannot \(step): \(reason)" }
}
