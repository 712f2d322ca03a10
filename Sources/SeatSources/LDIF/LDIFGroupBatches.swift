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
        let mapping = LDIFGroupMapping(options)
        var batchOf: [Batch.Key: Int] = [:]
        var parser = DNParser()
        for (position, group) in directory.entries.enumerated() where group.isGroup {
            let id = directory.entryIDs[position]
            let names = try LDIFGroupMapping.names(of: group, file: file)
            firstGroupLine = firstGroupLine ?? group.line
            for name in names where groupKeys.insert(name.lowercased()).inserted { groupNames.append(name) }
            let mapped = mapping.features(of: names)
            guard let feature = mapped.first else {
                if let name = names.first { unmapped.append((id, name)) }
                continue
            }
            guard mapped.count == 1 else {
                throw LDIFError.ambiguousGroup(file: file, line: group.line, group: group.dn, features: mapped)
            }
            let customer = try Self.customer(of: group, options: options, file: file, parser: &parser)
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

    /// The numbers of the batches in two parts, each holding all the batches of its customers, of about equal
    /// `sizes`: customers in the order their first batch comes, the first part taking them until it holds half.
    /// An empty part is dropped, unless there are no batches: one part, empty, then.
    func customerHalves(sizes: [Int]) -> [[Int]] {
        var customerSizes: [String: Int] = [:]
        // One more per batch, so that batches of groups without members weigh something.
        for (batch, size) in zip(batches, sizes) { customerSizes[batch.key.customer, default: 0] += size + 1 }
        let total = customerSizes.values.reduce(0, +)
        var first: Set<String> = []
        var taken = 0
        for batch in batches where taken * 2 < total {
            if first.insert(batch.key.customer).inserted { taken += customerSizes[batch.key.customer]! }
        }
        let halves = [
            batches.indices.filter { first.contains(batches[$0].key.customer) },
            batches.indices.filter { !first.contains(batches[$0].key.customer) },
        ]
        return batches.isEmpty ? [[]] : halves.filter { !$0.isEmpty }
    }

    /// The `groups:` keys that name no group of the export, sorted.
    func unmatchedKeys(of options: LDIFOptions) -> [String] {
        options.groups.keys.sorted().filter { !groupKeys.contains($0.lowercased()) }
    }

    private static func customer(
        of group: LDIFEntry,
        options: LDIFOptions,
        file: String,
        parser: inout DNParser
    ) throws -> String {
        switch options.customer {
        case .rdn(let type):
            let wanted = Array(type.lowercased().utf8)
            try group.parseDN(into: &parser, file: file)
            // Only values of the wanted type become strings: made of every RDN's type and value, the strings of the
            // many-groups benchmark's 30,000 group DNs were a tenth of resolving them.
            var found: String?
            for ava in parser.avas where parser.bytes(ava.type).elementsEqual(wanted) {
                let value = parser.trimmedValue(of: ava)
                if !value.isEmpty {
                    found = value
                    break
                }
            }
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
}
