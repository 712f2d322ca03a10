/// One rejected field of a `validation_error`, as Commet lists it in `details`.
public struct FieldError: Sendable, Hashable, Decodable, CustomStringConvertible {
    /// The field's name, e.g. `count`.
    public internal(set) var field: String
    /// What is wrong with it.
    public internal(set) var message: String

    /// Creates a field error; the client makes these from Commet's answer.
    package init(field: String, message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}
