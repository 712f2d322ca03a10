/// Turns the records of one CSV file into a ``SourceReading``: the first record is the header, every
/// later one a row of the configured shape.
///
/// Memory grows with distinct (customer, user) pairs, never with rows: a user on many rows is one entry. Cells are
/// looked up as bytes, so a row that names a known customer, user and role allocates nothing.
struct CSVReadingBuilder {
    private let file: String
    private let columns: CSVColumns
    private let roleSeparator: [UInt8]?
    private let customers: ValueMapping
    private var header: CSVHeader?
    private var fields: (customer: Int, second: Int, third: Int) = (0, 0, 0)
    private var rows = 0
    private var reading: SourceReading
    /// The customers in the order first met, and what the file says about each.
    private var customerIDs: [String] = []
    private var customerFacts: [CustomerFacts] = []
    /// The position of each customer id in `customerIDs`.
    private var customerPositions: [String: Int] = [:]
    /// Customer cells as written (trimmed), numbered; exports repeat each on many rows.
    private var customerCells = ByteStringTable()
    /// Per customer cell, the position of its customer once the `customers` mapping has renamed it.
    private var customerOfCell: [Int] = []
    /// Rows checked but whose users are not yet handed to `userTables`.
    private var userBatch = CSVUserBatch()
    /// Per customer position, its users, put in on a second thread; `customerFacts` holds the rest of what the
    /// file says.
    ///
    /// On the benchmark's 1,000,000-row CSV, filling the tables was a third of check-config's time; overlapped with
    /// tokenizing and checking, check-config took 0.66 s instead of 0.86 (medians of nine alternating runs, with the
    /// word-at-a-time folding of ids).
    private let userTables: BatchWorker<CSVUserBatch, [UserTable]>
    /// Role cells mapped once each. Feature codes are numbered once for the whole file, and every customer's
    /// users are granted by these numbers.
    private var roleCells: RoleCells
    /// Whether a row whose role cell names no mapped role is kept as a ``SkippedUser`` (`explain` only).
    var keepsSkippedUsers = false
    /// Per customer position, the rows kept with `keepsSkippedUsers`.
    private var skipped: [Int: [SkippedUser]] = [:]

    init(source: String, file: String, options: CSVOptions) {
        self.file = file
        self.columns = options.columns
        self.roleSeparator = options.roleSeparator.flatMap { $0.isEmpty ? nil : Array($0.utf8) }
        self.roleCells = RoleCells(ValueMapping(options.roles))
        self.customers = ValueMapping(options.customers)
        self.reading = SourceReading(source: source, file: file)
        self.userTables = BatchWorker([], batchesInFlight: 2) { batch, tables in
            batch.flush(into: &tables) {
                var table = UserTable()
                // Place 0 of every table is this file: batches grant at place 0.
                _ = table.placeNumber(file: file, detail: nil)
                return table
            }
        }
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
    mutating func finish(allowEmpty: Bool) throws -> SourceReading {
        if rows == 0 && !allowEmpty { throw SourceFileError.empty(file: file) }
        if !userBatch.isEmpty { userTables.put(&userBatch) }
        // Customers past the end of the tables have no user rows.
        var tables = userTables.finish(leaving: [])
        var reading = reading
        var customers: [String: CustomerFacts] = [:]
        for (position, (id, var facts)) in zip(customerIDs, customerFacts).enumerated() {
            if position < tables.count { swap(&facts.users, &tables[position]) }
            facts.users.useCodes(roleCells.codes)
            customers[id] = facts
        }
        reading.customers = customers
        for (position, users) in skipped { reading.skippedUsers[customerIDs[position]] = users }
        reading.unmappedRoles.merge(roleCells.unmapped, uniquingKeysWith: +)
        return reading
    }

    /// Ends a read that failed: waits for the rows already handed to the second thread, so that nothing of the
    /// read is still running once the error is reported, and drops them.
    func abandon() {
        _ = userTables.finish(leaving: [])
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
        let customer = try customerPosition(record, header: customerHeader)
        try record.withTrimmedBytes(ofField: fields.second) { written in
            guard !written.isEmpty else { throw emptyCell(record, fields.second, role: "user", header: userHeader) }
            try refuseControls(written, record, fields.second, role: "user")
        }
        try record.withTrimmedBytes(ofField: fields.third) { try addRoles(in: $0, record) }
        let mapsNoRole = userBatch.pendingFeatures == 0
        // A user with no mapped role is still recorded: the customer exists, and check-config counts them.
        record.withTrimmedBytes(ofField: fields.second) {
            userBatch.add(customer: customer, user: $0, line: record.line)
        }
        if userBatch.isFull { userTables.put(&userBatch) }
        if keepsSkippedUsers, mapsNoRole {
            let at = Provenance(file: file, line: record.line)
            let role = record.field(fields.third)
            skipped[customer, default: []].append(
                SkippedUser(id: record.field(fields.second), at: at, reason: .noMappedRole(role))
            )
        }
    }

    /// Maps each role in a role cell, split on the separator when one is configured.
    /// - Throws: ``CSVError/controlCharacter(file:line:column:role:character:value:)`` for a role holding one.
    private mutating func addRoles(in cell: UnsafeBufferPointer<UInt8>, _ record: CSVRecord) throws {
        guard let separator = roleSeparator else { return try addRole(cell, record) }
        var start = 0
        var index = 0
        while index + separator.count <= cell.count {
            if separator.indices.allSatisfy({ cell[index + $0] == separator[$0] }) {
                try addRole(UnsafeBufferPointer(rebasing: cell[start..<index]), record)
                index += separator.count
                start = index
            } else {
                index += 1
            }
        }
        try addRole(UnsafeBufferPointer(rebasing: cell[start...]), record)
    }

    private mutating func addRole(_ bytes: UnsafeBufferPointer<UInt8>, _ record: CSVRecord) throws {
        let role = ASCIIByte.trimmed(bytes)
        guard !role.isEmpty else { return }
        let (feature, isNew) = roleCells.feature(of: role)
        if isNew { try refuseControls(role, record, fields.third, role: "role") }
        if let feature {
            userBatch.addFeature(feature)
        } else {
            roleCells.countUnmapped(role)
        }
    }

    private mutating func takeCount(
        _ record: CSVRecord,
        customerHeader: String,
        featureHeader: String,
        countHeader: String
    ) throws {
        let customer = try customerPosition(record, header: customerHeader)
        let feature = try nonEmptyCell(record, fields.second, role: "feature", header: featureHeader)
        try record.withTrimmedBytes(ofField: fields.second) {
            try refuseControls($0, record, fields.second, role: "feature")
        }
        let count = try self.count(record, header: countHeader)
        if let first = customerFacts[customer].counts[feature] {
            throw CSVError.countedTwice(
                file: file,
                line: record.line,
                customer: customerIDs[customer],
                feature: feature,
                firstLine: first.at.line
            )
        }
        customerFacts[customer].counts[feature] = CountFact(
            count: count,
            at: Provenance(file: file, line: record.line)
        )
    }

    /// The position in `customerFacts` of the row's customer, which is added when new.
    private mutating func customerPosition(_ record: CSVRecord, header: String) throws -> Int {
        let (cell, isNew) = try record.withTrimmedBytes(ofField: fields.customer) { written in
            guard !written.isEmpty else { throw emptyCell(record, fields.customer, role: "customer", header: header) }
            return customerCells.insert(written)
        }
        guard isNew else { return customerOfCell[cell] }
        try record.withTrimmedBytes(ofField: fields.customer) {
            try refuseControls($0, record, fields.customer, role: "customer")
        }
        let value = record.field(fields.customer)
        let id = customers(value) ?? value
        let position = customerPositions[id] ?? customerIDs.count
        if position == customerIDs.count {
            var facts = CustomerFacts()
            _ = facts.users.placeNumber(file: file, detail: nil)
            customerIDs.append(id)
            customerFacts.append(facts)
            customerPositions[id] = position
        }
        customerOfCell.append(position)
        return position
    }

    /// - Throws: ``CSVError/controlCharacter(file:line:column:role:character:value:)`` when `bytes`, a value of
    ///   field `index`, hold a control character.
    private func refuseControls(
        _ bytes: UnsafeBufferPointer<UInt8>,
        _ record: CSVRecord,
        _ index: Int,
        role: String
    ) throws {
        guard let control = IdentifierText.firstControl(in: bytes) else { return }
        let position = record.position(ofField: index)
        throw CSVError.controlCharacter(
            file: file,
            line: position.line,
            column: position.column,
            role: role,
            character: IdentifierText.name(control),
            value: String(decoding: bytes, as: UTF8.self)
        )
    }

    private func nonEmptyCell(_ record: CSVRecord, _ index: Int, role: String, header: String) throws -> String {
        try requireText(record, index, role: role, header: header)
        return record.field(index)
    }

    /// - Throws: ``CSVError/emptyCell(file:line:column:role:header:)`` when the field is empty once trimmed.
    private func requireText(_ record: CSVRecord, _ index: Int, role: String, header: String) throws {
        guard record.withTrimmedBytes(ofField: index, { $0.isEmpty }) else { return }
        throw emptyCell(record, index, role: role, header: header)
    }

    /// The error for field `index`, which is empty once trimmed.
    private func emptyCell(_ record: CSVRecord, _ index: Int, role: String, header: String) -> CSVError {
        let position = record.position(ofField: index)
        return .emptyCell(file: file, line: position.line, column: position.column, role: role, header: header)
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
}
