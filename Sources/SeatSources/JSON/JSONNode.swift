/// A parsed JSON value and the line it starts on, so that errors and provenance can point into the file.
struct JSONNode: Sendable {
    enum Value: Sendable {
        case null
        case bool(Bool)
        /// The number as written, so that whole numbers are read exactly and `2.0` can be refused as a count.
        case number(String)
        case string(String)
        case array([JSONNode])
        /// Members in document order; keys are unique (the parser refuses repeated ones).
        case object([Member])
    }

    struct Member: Sendable {
        var key: String
        var node: JSONNode
    }

    var value: Value
    var line: Int

    /// What kind of value this is, as an error message names it.
    var kind: String {
        switch value {
        case .null: return "null"
        case .bool: return "a boolean"
        case .number: return "a number"
        case .string: return "a string"
        case .array: return "an array"
        case .object: return "an object"
        }
    }
}
