import TextRules

/// The header row of a CSV file, and how configured column names find their field in it.
///
/// Exports drift: names gain vendor suffixes (`Email Address [Required]`, `Status [READ ONLY]`), change case
/// between versions, and sometimes hold a line break. Names are therefore compared by ``key(_:)``.
struct CSVHeader {
    /// The names as written, trimmed; used in messages.
    let names: [String]
    /// The physical line the header starts on.
    let line: Int
    private let fieldByKey: [String: Int]

    /// - Throws: ``CSVError/duplicateHeader(file:line:column:name:firstField:)`` when two names share a key.
    init(_ record: CSVRecord, file: String) throws {
        var names: [String] = []
        var fieldByKey: [String: Int] = [:]
        for index in 0..<record.fieldCount {
            let name = record.field(index)
            names.append(name)
            let key = Self.key(name)
            // Unnamed trailing columns are common and can never be configured, so they may repeat.
            if key.isEmpty { continue }
            if let first = fieldByKey[key] {
                let position = record.position(ofField: index)
                throw CSVError.duplicateHeader(
                    file: file,
                    line: position.line,
                    column: position.column,
                    name: name,
                    firstField: first + 1
                )
            }
            fieldByKey[key] = index
        }
        self.names = names
        self.line = record.line
        self.fieldByKey = fieldByKey
    }

    /// The field index of the configured column `name`.
    /// - Throws: ``CSVError/missingColumn(file:line:name:have:)`` naming what the header does have.
    func field(named name: String, file: String) throws -> Int {
        guard let index = fieldByKey[Self.key(name)] else {
            throw CSVError.missingColumn(file: file, line: line, name: name, have: names)
        }
        return index
    }

    /// The form names are compared in: whitespace runs collapsed to one space, a trailing `[...]` vendor
    /// suffix dropped, lower-cased.
    static func key(_ name: String) -> String {
        var key = name.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        if key.hasSuffix("]"), let open = key.lastIndex(of: "["), open != key.startIndex {
            key = String(key[..<open]).trimmingASCIIWhitespace()
        }
        return key.lowercased()
    }
}
