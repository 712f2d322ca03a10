/// The mapped groups of an export gathered in batches of one customer and feature code, so that a user held by
/// several of them is granted once per batch, under the first group in file order; and what the groups' names say
/// about the `groups:` mapping.
struct LDIFGroupBatches {
    /// The mapped groups of one customer and feature code.
    struct Batch {
        struct Key: Hashable {
            var customer: String
            var feature: String
        }

        var key: Key
        /// The DN numbers of the groups, in file order, each with the grant it gives.
        var roots: [(id: Int32, grant: Provenance)]
    }

    private(set) var batches: [Batch] = []
    /// Groups no mapping names: the DN number and first name of each.
    private(set) var unmapped: [(id: Int32, name: String)] = []
    /// The distinct group names, in file order (case variants once).
    private(set) var groupNames: [String] = []
    /// The line of the first group, if there is one.
    private(set) var firstGroupLine: Int?
    private(set) var spellings = CustomerSpellings()
    private var groupKeys: Set<String> = []

    /// - Throws: ``LDIFError`` when a mapped group's customer or feature is unknown or ambiguous.
    init(_ directory: LDIFDirectory, options: LDIFOptions, file: String) throws {
        // Sorted, so that names differing only in case pick the same feature code on every run.
        let features = Dictionary(options.groups.sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }) {
            first,
            _ in first
        }
        var batchOf: [Batch.Key: Int] = [:]
        for (position, group) in directory.entries.enumerated() where group.isGroup {
            let id = directory.entryIDs[position]
            let names = try Self.names(of: group, file: file)
            firstGroupLine = firstGroupLine ?? group.line
            for name in names where groupKeys.insert(name.lowercased()).inserted { groupNames.append(name) }
            var mapped: [String] = []
            for name in names {
                if let feature = features[name.lowercased()], !mapped.contains(feature) { mapped.append(feature) }
            }
            guard let feature = mapped.first else {
                if let name = names.first { unmapped.append((id, name)) }
                continue
            }
            guard mapped.count == 1 else {
                throw LDIFError.ambiguousGroup(file: file, line: group.line, group: group.dn, features: mapped)
            }
            let customer = try Self.customer(of: group, options: options, file: file)
            let key = Batch.Key(customer: spellings.spelling(of: customer), feature: feature)
            let root = (id: id, grant: Provenance(file: file, line: group.line, detail: group.dn))
            if let index = batchOf[key] {
                batches[index].roots.append(root)
            } else {
                batchOf[key] = batches.count
                batches.append(Batch(key: key, roots: [root]))
            }
        }
    }

    /// The `groups:` keys that name no group of the export, sorted.
    func unmatchedKeys(of options: LDIFOptions) -> [String] {
        options.groups.keys.sorted().filter { !groupKeys.contains($0.lowercased()) }
    }

    /// The names a group mapping can match: its `cn` values, and the `cn` of its RDN when the record had none. An
    /// empty name names no group.
    private static func names(of group: LDIFEntry, file: String) throws -> [String] {
        guard group.names.isEmpty else { return group.names }
        return try rdnValues(of: group, file: file).filter { $0.rdn == 0 && $0.type == "cn" && !$0.value.isEmpty }
            .map(\.value)
    }

    private static func customer(of group: LDIFEntry, options: LDIFOptions, file: String) throws -> String {
        switch options.customer {
        case .rdn(let type):
            let wanted = Array(type.lowercased().utf8)
            let parser = try parsed(group, file: file)
            // Only values of the wanted type become strings: made of every RDN's type and value, the strings of the
            // many-groups benchmark's 30,000 group DNs were a tenth of resolving them.
            let found = parser.avas.lazy.filter { parser.bytes($0.type).elementsEqual(wanted) }
                .map { text(parser.bytes($0.value)) }.first { !$0.isEmpty }
            guard let found else {
                throw LDIFError.noCustomer(
                    file: file,
                    line: group.line,
                    group: group.dn,
                    rule: "\(type)= RDN in its DN"
                )
            }
            return found
        case .attribute(let name):
            var values: [String] = []
            for value in group.customerValues where !value.isEmpty {
                if !values.contains(where: { $0.lowercased() == value.lowercased() }) { values.append(value) }
            }
            guard let value = values.first else {
                throw LDIFError.noCustomer(file: file, line: group.line, group: group.dn, rule: "\(name) attribute")
            }
            guard values.count == 1 else {
                throw LDIFError.ambiguousCustomer(file: file, line: group.line, group: group.dn, values: values)
            }
            return value
        }
    }

    /// The attribute-value pairs of the group's DN from the group towards the root, values as written but for
    /// escaped whitespace at their ends, which no customer id means.
    private static func rdnValues(of group: LDIFEntry, file: String) throws -> [(rdn: Int, type: String, value: String)]
    {
        let parser = try parsed(group, file: file)
        return parser.avas.map { ava in
            (ava.rdn, String(decoding: parser.bytes(ava.type), as: UTF8.self), text(parser.bytes(ava.value)))
        }
    }

    private static func parsed(_ group: LDIFEntry, file: String) throws -> DNParser {
        var parser = DNParser()
        var dn = group.dn
        do {
            try dn.withUTF8 { try parser.parse($0) }
        } catch let error as DNSyntaxError {
            throw LDIFError.invalidDN(file: file, line: group.line, dn: group.dn, reason: error.reason)
        }
        return parser
    }

    /// A value's bytes as text, without the whitespace around it.
    private static func text(_ value: ArraySlice<UInt8>) -> String {
        value.withUnsafeBufferPointer { String(decoding: ASCIIByte.trimmed($0), as: UTF8.self) }
    }
}
