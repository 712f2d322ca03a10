/// Turns the records of one CSV file into a ``SourceReading``: the first record is the header, every
/// later one a row of the configured shape.
///
/// Memory grows with distinct (customer, user) pairs, never with rows: a user on many rows is one entry.
struct CSVReadingBuilder {
    private let file: String
    private let columns: CSVColumns
    private let roleSeparator: [UInt8]?
    private let roles: ValueMapping
    private let customers: ValueMapping
    private var header: CSVHeader?
    private var fields: (customer: Int, second: Int, third: Int) = (0, 0, 0)
    private var rows = 0
    private var reading: SourceReading
    /// Reused for every row, so that splitting a role cell allocates nothing per row.
    private var rowFeatures: [String] = []
    /// Role value as written to its feature code (`nil`: unmapped); exports repeat a handful of values on
    /// every row, so mapping each once saves normalising it a million times.
    private var roleCache: [String: String?] = [:]
    /// Bounds ``roleCache`` for the odd export whose role column holds a distinct value per row.
    private static let roleCacheLimit = 4096

    init(source: String, file: String, options: CSVOptions) {
        self.file = file
        self.columns = options.columns
        self.roleSeparator = options.roleSeparator.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.roles = ValueMapping(options.roles)
        self.customers = ValueMapping(options.customers)
        self.reading = SourceReading(source: source, file: file)
    }

    /// Takes the next record of the file.
    /// - Throws: ``CSVError`` for a bad header or row.
    mutating func take(_ record: CSVRecord) throws {
        guard let header else { return try takeHeader(record) }
        guard record.fieldCount == header.names.count else {
            throw CSVError.raggedRow(
                file: file,
                line: record.line,
                fields: record.fieldCount,
                headerFields: header.names.count
            )
        }
        rows += 1
        switch columns {
        case .users(let customer, let user, let role):
            try takeUser(record, customerHeader: customer, userHeader: user, roleHeader: role)
        case .counts(let customer, let feature, let count):
            try takeCount(record, customerHeader: customer, featureHeader: feature, countHeader: count)
        }
    }

    /// The reading, once every record has been taken.
    /// - Throws: ``SourceFileError/empty(file:)`` when the file has no data rows and empty is not allowed.
    func finish(allowEmpty: Bool) throws -> SourceReading {
        if rows == 0 && !allowEmpty { throw SourceFileError.empty(file: file) }
        return reading
    }

    private mutating func takeHeader(_ record: CSVRecord) throws {
        let header = try CSVHeader(record, file: file)
        switch columns {
        case .users(let customer, let user, let role):
            fields = (
                try header.field(named: customer, file: file),
                try header.field(named: user, file: file),
                try header.field(named: role, file: file)
            )
        case .counts(let customer, let feature, let count):
            fields = (
                try header.field(named: customer, file: file),
                try header.field(named: feature, file: file),
                try header.field(named: count, file: file)
            )
        }
        self.header = header
    }

    private mutating func takeUser(
        _ record: CSVRecord,
        customerHeader: String,
        userHeader: String,
        roleHeader: String
    ) throws {
        let customer = try customerID(record, header: customerHeader)
        let user = try nonEmptyCell(record, fields.second, role: "user", header: userHeader)
        rowFeatures.removeAll(keepingCapacity: true)
        record.withTrimmedBytes(ofField: fields.third) { addRoles(in: $0) }
        let at = Provenance(file: file, line: record.line)
        let features = rowFeatures
        let key = UserKey.of(user)
        // Most ids are already lower-case e-mail addresses: then id and key share one string's storage.
        let id = key == user ? key : user
        // A user with no mapped role is still recorded: the customer exists, and check-config counts them.
        Self.update(&reading.customers[customer, default: CustomerFacts()].users[key]) { facts in
            if facts == nil { facts = UserFacts(id: id) }
            for feature in features { facts!.grant(feature, at: at) }
        }
    }

    /// Maps each role in a role cell, split on the separator when one is configured.
    private mutating func addRoles(in cell: UnsafeBufferPointer<UInt8>) {
        guard let separator = roleSeparator else { return addRole(cell) }
        var start = 0
        var index = 0
        while index + separator.count <= cell.count {
            if separator.indices.allSatisfy({ cell[index + $0] == separator[$0] }) {
                addRole(UnsafeBufferPointer(rebasing: cell[start..<index]))
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        addRole(UnsafeBufferPointer(rebasing: cell[start...]))
    }

    private mutating func addRole(_ bytes: UnsafeBufferPointer<UInt8>) {
        let role = String(decoding: bytes, as: UTF8.self).trimmingASCIIWhitespace()
        guard !role.isEmpty else { return }
        let feature: String?
        if let cached = roleCache[role] {
            feature = cached
        } else {
            feature = roles(role)
            if roleCache.count < Self.roleCacheLimit { roleCache[role] = feature }
        }
        if let feature {
            rowFeatures.append(feature)
        } else {
            reading.unmappedRoles[role, default: 0] += 1
        }
    }

    private mutating func takeCount(
        _ record: CSVRecord,
        customerHeader: String,
        featureHeader: String,
        countHeader: String
    ) throws {
        let customer = try customerID(record, header: customerHeader)
        let feature = try nonEmptyCell(record, fields.second, role: "feature", header: featureHeader)
        let count = try self.count(record, header: countHeader)
        if let first = reading.customers[customer]?.counts[feature] {
            throw CSVError.countedTwice(
                file: file,
                line: record.line,
                customer: customer,
                feature: feature,
                firstLine: first.at.line
            )
        }
        reading.customers[customer, default: CustomerFacts()].counts[feature] = CountFact(
            count: count,
            at: Provenance(file: file, line: record.line)
        )
    }

    private func customerID(_ record: CSVRecord, header: String) throws -> String {
        let value = try nonEmptyCell(record, fields.customer, role: "customer", header: header)
        return customers(value) ?? value
    }

    private func nonEmptyCell(_ record: CSVRecord, _ index: Int, role: String, header: String) throws -> String {
        let value = record.field(index)
        guard !value.isEmpty else {
            let position = record.position(ofField: index)
            throw CSVError.emptyCell(
                file: file,
                line: position.line,
                column: position.column,
                role: role,
                header: header
            )
        }
        return value
    }

    private func count(_ record: CSVRecord, header: String) throws -> Int {
        let index = fields.third
        let position = record.position(ofField: index)
        let parsed = record.withTrimmedBytes(ofField: index) { Self.parseCount($0) }
        switch parsed {
        case .some(let count):
            return count
        case .none:
            _ = try nonEmptyCell(record, index, role: "count", header: header)
            let value = record.field(index)
            if value.hasPrefix("-"), Self.isDigits(value.dropFirst()) {
                throw CSVError.negativeCount(file: file, line: position.line, column: position.column, value: value)
            }
            if Self.isDigits(value[...]) {
                throw CSVError.countTooLarge(file: file, line: position.line, column: position.column, value: value)
            }
            throw CSVError.notACount(file: file, line: position.line, column: position.column, value: value)
        }
    }

    /// The count in `bytes` when they are only ASCII digits and at most ``SeatCount/largest``; `nil` otherwise.
    private static func parseCount(_ bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        guard !bytes.isEmpty else { return nil }
        var value = 0
        for byte in bytes {
            guard byte >= 0x30 && byte <= 0x39 else { return nil }
            value = value * 10 + Int(byte - 0x30)
            if value > SeatCount.largest { return nil }
        }
        return value
    }

    private static func isDigits(_ text: Substring) -> Bool {
        !text.isEmpty && text.utf8.allSatisfy { $0 >= 0x30 && $0 <= 0x39 }
    }

    private static func update<Value>(_ value: inout Value, _ body: (inout Value) -> Void) {
        body(&value)
    }
}
