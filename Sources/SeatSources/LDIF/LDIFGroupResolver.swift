/// Turns the groups of an export into seats: every group whose name the configuration maps grants its feature code,
/// in its customer, to every user it holds, directly or through nested groups.
///
/// A user is one identity across group shapes: a `member` DN, a `uniqueMember` DN, a `memberUid` and an AD primary
/// group all resolve to the same user entry, and the entry's user id attribute is what is counted. `memberOf` is
/// never read: servers may already have made it transitive, and expanding it again would count twice.
struct LDIFGroupResolver {
    let file: String
    let options: LDIFOptions

    /// - Parameters:
    ///   - directory: what ``LDIFRecordReader`` kept of the export.
    ///   - source: the configured source name.
    /// - Returns: one customer per mapped group's customer (present even when nobody holds a seat), the groups that
    ///   no mapping names as unmapped roles, and notes on what could not be resolved.
    /// - Throws: ``LDIFError`` when a mapped group's customer or feature is unknown or ambiguous, or a `memberUid`
    ///   names several users.
    func resolve(_ directory: LDIFDirectory, source: String) throws -> SourceReading {
        var resolution = Resolution(directory: directory, file: file, idAttribute: options.userIDAttribute)
        var reading = SourceReading(source: source, file: file)
        var spellings = CustomerSpellings()
        let features = Dictionary(options.groups.map { ($0.key.lowercased(), $0.value) }) { first, _ in first }
        let groups = directory.entries.filter { $0.value.isGroup }.sorted { $0.value.line < $1.value.line }

        var unmapped: [(id: Int32, name: String)] = []
        for (id, group) in groups {
            let names = try Self.names(of: group, file: file)
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
            let customer = spellings.spelling(of: try customer(of: group))
            let grant = Provenance(file: file, line: group.line, detail: group.dn)
            var facts = reading.customers.removeValue(forKey: customer) ?? CustomerFacts()
            try resolution.expand(id, feature: feature, at: grant, into: &facts)
            reading.customers[customer] = facts
        }
        // A group nested into a mapped one is not ignored, so it is no unmapped role.
        for group in unmapped where !resolution.reached.contains(group.id) {
            reading.unmappedRoles[group.name, default: 0] += 1
        }
        reading.notes = resolution.notes() + spellings.notes(file: file)
        return reading
    }

    /// The names a group mapping can match: its `cn` values, and the `cn` of its RDN when the record had none.
    private static func names(of group: LDIFEntry, file: String) throws -> [String] {
        guard group.names.isEmpty else { return group.names }
        return try rdnValues(of: group, file: file).filter { $0.rdn == 0 && $0.type == "cn" }.map(\.value)
    }

    private func customer(of group: LDIFEntry) throws -> String {
        switch options.customer {
        case .rdn(let type):
            let wanted = type.lowercased()
            let found = try Self.rdnValues(of: group, file: file).first { $0.type == wanted && !$0.value.isEmpty }
            guard let found else {
                throw LDIFError.noCustomer(
                    file: file,
                    line: group.line,
                    group: group.dn,
                    rule: "\(type)= RDN in its DN"
                )
            }
            return found.value
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

    /// The attribute-value pairs of the group's DN from the group towards the root, values as written.
    private static func rdnValues(of group: LDIFEntry, file: String) throws -> [(rdn: Int, type: String, value: String)]
    {
        var parser = DNParser()
        var dn = group.dn
        do {
            try dn.withUTF8 { try parser.parse($0) }
        } catch let error as DNSyntaxError {
            throw LDIFError.invalidDN(file: file, line: group.line, dn: group.dn, reason: error.reason)
        }
        return parser.avas.map { ava in
            let value = String(decoding: parser.bytes(ava.value), as: UTF8.self)
            return (ava.rdn, String(decoding: parser.bytes(ava.type), as: UTF8.self), value.trimmingSpaces())
        }
    }
}

/// The state of resolving every mapped group of one export: indexes built once, and what the notes report.
private struct Resolution {
    let directory: LDIFDirectory
    let file: String
    let idAttribute: String
    /// User entries by lower-cased `uid`, for `memberUid`.
    private var byUID: [String: [Int32]] = [:]
    /// User entries by `uidNumber`, for a `memberUid` that holds a number.
    private var byUIDNumber: [String: [Int32]] = [:]
    /// User entries by AD `primaryGroupID`.
    private var byPrimaryGroup: [UInt32: [Int32]] = [:]

    /// Every group some mapped group holds, itself included.
    private(set) var reached: Set<Int32> = []
    private var disabled: Set<Int32> = []
    private var unresolvedUIDs: [String] = []
    private var unresolvedUIDSet: Set<String> = []
    private var unresolvedDNs: Set<Int32> = []
    private var dynamicGroups: [Int32: Int] = [:]

    init(directory: LDIFDirectory, file: String, idAttribute: String) {
        self.directory = directory
        self.file = file
        self.idAttribute = idAttribute
        for (id, entry) in directory.entries where !entry.isGroup {
            if let uid = entry.uid { byUID[uid.lowercased(), default: []].append(id) }
            if let number = entry.uidNumber { byUIDNumber[number, default: []].append(id) }
            if let group = entry.primaryGroupID { byPrimaryGroup[group, default: []].append(id) }
        }
    }

    /// Grants `feature` to everyone group `root` holds, following nested groups; each group is visited once, so
    /// cycles end and a user reached by two paths is granted once.
    mutating func expand(_ root: Int32, feature: String, at grant: Provenance, into facts: inout CustomerFacts) throws {
        var visited: Set<Int32> = [root]
        var pending = [root]
        while let id = pending.popLast() {
            reached.insert(id)
            guard let group = directory.entries[id] else { continue }
            if group.isDynamic { dynamicGroups[id] = group.line }
            for member in group.members where member != id {
                if let entry = directory.entries[member], entry.isGroup {
                    if visited.insert(member).inserted { pending.append(member) }
                } else {
                    grantUser(member, feature, grant, &facts)
                }
            }
            for uid in group.memberUids {
                try grantMemberUid(uid, of: group, feature, grant, &facts)
            }
            if let relativeID = group.relativeID {
                for member in byPrimaryGroup[relativeID] ?? [] { grantUser(member, feature, grant, &facts) }
            }
        }
    }

    /// Grants to the user entry numbered `id`; a DN that names no entry with the id attribute counts by itself.
    private mutating func grantUser(_ id: Int32, _ feature: String, _ grant: Provenance, _ facts: inout CustomerFacts) {
        let entry = directory.entries[id]
        if entry?.isDisabled == true {
            disabled.insert(id)
            return
        }
        if let userID = entry?.userID {
            facts.grant(user: userID, feature: feature, at: grant)
        } else {
            unresolvedDNs.insert(id)
            facts.grant(user: directory.names.dn(id), feature: feature, at: grant)
        }
    }

    private mutating func grantMemberUid(
        _ uid: String,
        of group: LDIFEntry,
        _ feature: String,
        _ grant: Provenance,
        _ facts: inout CustomerFacts
    ) throws {
        var candidates = byUID[uid.lowercased()] ?? []
        if candidates.isEmpty, uid.allSatisfy(\.isASCIIDigit) { candidates = byUIDNumber[uid] ?? [] }
        guard let first = candidates.first else {
            if unresolvedUIDSet.insert(uid).inserted { unresolvedUIDs.append(uid) }
            facts.grant(user: uid, feature: feature, at: grant)
            return
        }
        let identities = Set(candidates.map { UserKey.of(directory.entries[$0]?.userID ?? directory.names.dn($0)) })
        guard identities.count == 1 else {
            throw LDIFError.ambiguousMemberUid(
                file: file,
                line: group.line,
                group: group.dn,
                uid: uid,
                entries: candidates.map { directory.entries[$0]?.dn ?? directory.names.dn($0) }.sorted()
            )
        }
        grantUser(first, feature, grant, &facts)
    }

    /// One line per kind of finding, each naming the file.
    func notes() -> [String] {
        var notes: [String] = []
        if !disabled.isEmpty {
            let users = disabled.count == 1 ? "1 disabled user" : "\(disabled.count) disabled users"
            notes.append("\(file): skipped \(users) (userAccountControl bit 0x2) in mapped groups")
        }
        if !unresolvedUIDs.isEmpty {
            notes.append(
                "\(file): \(Self.count(unresolvedUIDs.count, "memberUid value")) no entry in the export; "
                    + "counted by the uid itself: \(Self.sample(unresolvedUIDs))"
            )
        }
        if !unresolvedDNs.isEmpty {
            let dns = unresolvedDNs.map { directory.names.dn($0) }.sorted()
            notes.append(
                "\(file): \(Self.count(dns.count, "member DN")) no entry with \(idAttribute) in the export; "
                    + "counted by the normalised DN: \(Self.sample(dns))"
            )
        }
        for (id, line) in dynamicGroups.sorted(by: { $0.value < $1.value }) {
            let dn = directory.entries[id]?.dn ?? directory.names.dn(id)
            notes.append(
                "\(file):\(line): \(dn) is a dynamic group (memberURL); its URL members cannot be resolved "
                    + "from a file and take no seat"
            )
        }
        return notes
    }

    /// "1 member DN names", "2 member DNs name".
    private static func count(_ count: Int, _ noun: String) -> String {
        count == 1 ? "1 \(noun) names" : "\(count) \(noun)s name"
    }

    /// The first few items, so that a note stays one readable line however many there are.
    private static func sample(_ items: [String]) -> String {
        let shown = items.prefix(10).joined(separator: ", ")
        return items.count > 10 ? "\(shown) and \(items.count - 10) more" : shown
    }
}

/// Customers named by case variants of one value (`o=Acme` in one DN, `o=acme` in another) are one customer, as
/// the directory itself compares them; the spelling met first (in file order) is used.
private struct CustomerSpellings {
    private var first: [String: String] = [:]
    private var variants: [String: [String]] = [:]

    mutating func spelling(of customer: String) -> String {
        let key = customer.lowercased()
        guard let spelling = first[key] else {
            first[key] = customer
            return customer
        }
        if spelling != customer, !(variants[key] ?? []).contains(customer) {
            variants[key, default: []].append(customer)
        }
        return spelling
    }

    func notes(file: String) -> [String] {
        variants.sorted { $0.key < $1.key }.map { key, others in
            "\(file): customer \(first[key]!) is also written \(others.joined(separator: ", ")); counted as \(first[key]!)"
        }
    }
}

extension String {
    fileprivate func trimmingSpaces() -> String {
        guard first == " " || last == " " else { return self }
        return String(drop { $0 == " " }.reversed().drop { $0 == " " }.reversed())
    }
}

extension Character {
    fileprivate var isASCIIDigit: Bool { isASCII && isNumber }
}
