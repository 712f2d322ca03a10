/// Response header fields in arrival order; names compare case-insensitively.
struct HTTPHeaders: Sendable {
    private(set) var fields: [(name: String, value: String)] = []

    init(_ fields: [(name: String, value: String)] = []) {
        for field in fields {
            append(name: field.name, value: field.value)
        }
    }

    mutating func append(name: String, value: String) {
        fields.append((name.lowercased(), value))
    }

    /// The first value of `name`.
    subscript(_ name: String) -> String? {
        let key = name.lowercased()
        return fields.first { $0.name == key }?.value
    }
}
