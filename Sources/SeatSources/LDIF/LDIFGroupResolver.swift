/// Turns the groups of an export into seats: every group whose name the configuration maps grants its feature code,
/// in its customer, to every user it holds, directly or through nested groups.
///
/// A user is one identity across group shapes: a `member` DN, a `uniqueMember` DN, a `memberUid` and an AD primary
/// group all resolve to the same user entry, and the entry's user id attribute is what is counted. `memberOf` is
/// never read: servers may already have made it transitive, and expanding it again would count twice.
struct LDIFGroupResolver {
    let file: String
    let options: LDIFOptions
    /// Whether each grant's provenance names the nested groups it came through (its detail is then the DNs from
    /// the group holding the user up to the mapped group, joined by ` -> `), and disabled members are kept as
    /// ``SourceReading/skippedUsers``: `explain` only.
    var keepsExplanations = false

    /// - Parameters:
    ///   - directory: what ``LDIFRecordReader`` kept of the export.
    ///   - source: the configured source name.
    ///   - allowEmpty: whether an export without a mapped group is a reading with no customers.
    /// - Returns: one customer per mapped group's customer (present even when nobody holds a seat), the groups that
    ///   no mapping names and no mapped group holds as unmapped roles, and notes on what could not be resolved
    ///   and on `groups:` keys that match no group.
    /// - Throws: ``LDIFError`` when a mapped group's customer or feature is unknown or ambiguous, or a `memberUid`
    ///   names several users; without `allowEmpty`, ``SourceFileError/empty(file:)`` for an export without
    ///   entries and ``LDIFError/noMappedGroup(file:line:keys:groups:)`` for one without a mapped group.
    func resolve(_ directory: LDIFDirectory, source: String, allowEmpty: Bool) throws -> SourceReading {
        var reading = SourceReading(source: source, file: file)
        var spellings = CustomerSpellings()
        // Sorted, so that names differing only in case pick the same feature code on every run.
        let features = Dictionary(options.groups.sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }) {
            first,
            _ in first
        }

        // Mapped groups are expanded in batches of one customer and feature code, so that a user held by several
        // of them is granted once per batch, under the first group in file order.
        var batches: [Batch] = []
        var batchOf: [Batch.Key: Int] = [:]
        var unmapped: [(id: Int32, name: String)] = []
        var groupNames: [String] = []
        var groupKeys: Set<String> = []
        var firstGroupLine: Int?
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
            let key = Batch.Key(customer: spellings.spelling(of: try customer(of: group)), feature: feature)
            let root = (id: id, grant: Provenance(file: file, line: group.line, detail: group.dn))
            if let index = batchOf[key] {
                batches[index].roots.append(root)
            } else {
                batchOf[key] = batches.count
                batches.append(Batch(key: key, roots: [root]))
            }
        }

        var resolution = Resolution(
            directory: directory,
            file: file,
            idAttribute: options.userIDAttribute,
            keepsExplanations: keepsExplanations
        )
        for batch in batches {
            var facts = reading.customers.removeValue(forKey: batch.key.customer) ?? CustomerFacts()
            try resolution.expand(batch.roots, feature: batch.key.feature, customer: batch.key.customer, into: &facts)
            reading.customers[batch.key.customer] = facts
        }
        // A group nested into a mapped one is not ignored, so it is no unmapped role.
        for group in unmapped where !resolution.reached.contains(group.id) {
            reading.unmappedRoles[group.name, default: 0] += 1
        }
        let unmatched = options.groups.keys.sorted().filter { !groupKeys.contains($0.lowercased()) }
        if reading.customers.isEmpty && !allowEmpty {
            guard let line = firstGroupLine ?? directory.firstEntryLine else { throw SourceFileError.empty(file: file) }
            throw LDIFError.noMappedGroup(
                file: file,
                line: line,
                keys: unmatched,
                groups: Array(groupNames.prefix(LDIFNote.sampleSize))
            )
        }
        var notes: [LDIFNote] = []
        if !unmatched.isEmpty {
            let keys = unmatched.map { key in
                LDIFNote.UnmatchedKey(key: key, suggestion: KeySuggestion.closest(to: key, among: groupNames))
            }
            notes.append(.unmatchedGroupKeys(file: file, keys: keys))
        }
        if !directory.conflicts.isEmpty {
            notes.append(.replicationConflicts(file: file, entries: directory.conflicts))
        }
        reading.skippedUsers = resolution.skipped
        notes += resolution.sharedUserIDs()
        reading.notes = notes.map(\.description) + resolution.notes() + spellings.notes(file: file)
        return reading
    }

    /// The mapped groups of one customer and feature code.
    private struct Batch {
        struct Key: Hashable {
            var customer: String
            var feature: String
        }

        var key: Key
        var roots: [(id: Int32, grant: Provenance)]
    }

    /// The names a group mapping can match: its `cn` values, and the `cn` of its RDN when the record had none. An
    /// empty name names no group.
    private static func names(of group: LDIFEntry, file: String) throws -> [String] {
        guard group.names.isEmpty else { return group.names }
        return try rdnValues(of: group, file: file).filter { $0.rdn == 0 && $0.type == "cn" && !$0.value.isEmpty }
            .map(\.value)
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

    /// The attribute-value pairs of the group's DN from the group towards the root, values as written but for
    /// escaped whitespace at their ends, which no customer id means.
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
            var value = parser.bytes(ava.value)
            while let first = value.first, LDIFByte.isWhitespace(first) { value.removeFirst() }
            while let last = value.last, LDIFByte.isWhitespace(last) { value.removeLast() }
            return (
                ava.rdn, String(decoding: parser.bytes(ava.type), as: UTF8.self), String(decoding: value, as: UTF8.self)
            )
        }
    }
}

/// The state of resolving every mapped group of one export: indexes built once, identities worked out once per
/// DN, and what the notes report.
private struct Resolution {
    /// Who a DN number stands for when a group holds it.
    private enum Identity {
        case disabled
        /// The user entry at this position of the directory, whose user id attribute is what counts.
        case user(position: Int32)
        /// No entry with the user id attribute has this DN; it counts by the normalised DN.
        case unresolved

        /// The position of a user entry, or a negative number for the other cases.
        var code: Int32 {
            switch self {
            case .disabled: -1
            case .user(let position): position
            case .unresolved: -2
            }
        }

        /// The identity whose ``code`` is `code`; `nil` for ``unknownCode``.
        init?(code: Int32) {
            switch code {
            case -1: self = .disabled
            case -2: self = .unresolved
            case 0...: self = .user(position: code)
            default: return nil
            }
        }

        /// The code of a DN whose identity is not worked out yet.
        static let unknownCode: Int32 = -3
    }

    let directory: LDIFDirectory
    let file: String
    let idAttribute: String
    let keepsExplanations: Bool
    /// User entries by lower-cased `uid` and by `uidNumber`, for `memberUid`; built when first needed.
    private var byUID: (uid: [String: [Int32]], number: [String: [Int32]])?
    /// User entries by AD `primaryGroupID`; built when first needed.
    private var byPrimaryGroup: [UInt32: [Int32]]?
    /// Per DN number, its identity's code: four bytes a DN, where an optional ``Identity`` takes eight.
    private var identities: [Int32]
    /// For each DN number, the last expansion that met it: within one expansion a group is entered once (so cycles
    /// end) and a user reached by several paths or several groups of the batch is granted once.
    private var lastExpansion: [Int32]
    private var expansion: Int32 = 0

    /// Every group some mapped group holds, itself included.
    private(set) var reached: Set<Int32> = []
    private var disabled: Set<Int32> = []
    private var unresolvedUIDs: [String] = []
    private var unresolvedUIDSet: Set<String> = []
    /// Member DNs counted by the DN itself, each once, and a mark per DN number for those already in the list.
    private var unresolvedDNs: [Int32] = []
    private var isUnresolvedDN: [Bool]
    private var dynamicGroups: [Int32: Int] = [:]
    /// Per customer, the positions of the user entries its mapped groups hold (with repeats).
    private var users: [String: [Int32]] = [:]
    /// The positions of the user entries granted in the expansion under way.
    private var expansionUsers: [Int32] = []
    /// With `keepsExplanations`, the disabled members met in the expansion under way, and the grant they missed.
    private var expansionDisabled: [(id: Int32, grant: Provenance)] = []
    /// With `keepsExplanations`, per customer, the disabled members of its mapped groups.
    private(set) var skipped: [String: [SkippedUser]] = [:]

    init(directory: LDIFDirectory, file: String, idAttribute: String, keepsExplanations: Bool) {
        self.directory = directory
        self.file = file
        self.idAttribute = idAttribute
        self.keepsExplanations = keepsExplanations
        identities = Array(repeating: Identity.unknownCode, count: directory.names.count)
        lastExpansion = Array(repeating: -1, count: directory.names.count)
        isUnresolvedDN = Array(repeating: false, count: directory.names.count)
    }

    /// Grants `feature` to everyone the `roots` hold, following nested groups; each grant names the root it came
    /// through.
    mutating func expand(
        _ roots: [(id: Int32, grant: Provenance)],
        feature: String,
        customer: String,
        into facts: inout CustomerFacts
    ) throws {
        expansion += 1
        expansionUsers.removeAll(keepingCapacity: true)
        for root in roots where lastExpansion[Int(root.id)] != expansion {
            lastExpansion[Int(root.id)] = expansion
            try expand(root.id, feature: feature, at: root.grant, into: &facts)
        }
        users[customer, default: []] += expansionUsers
        for (id, grant) in expansionDisabled {
            let entry = directory.position(of: id).map { directory.entries[$0] }
            let user = SkippedUser(id: entry?.userID ?? directory.names.dn(id), at: grant, reason: .disabled)
            if !skipped[customer, default: []].contains(user) { skipped[customer, default: []].append(user) }
        }
        expansionDisabled.removeAll()
    }

    private mutating func expand(
        _ root: Int32,
        feature: String,
        at grant: Provenance,
        into facts: inout CustomerFacts
    )
        throws
    {
        var pending = [root]
        /// With `keepsExplanations`, the group each nested group was entered from.
        var enteredFrom: [Int32: Int32] = [:]
        while let id = pending.popLast() {
            reached.insert(id)
            guard let position = directory.position(of: id) else { continue }
            let group = directory.entries[position]
            if group.isDynamic { dynamicGroups[id] = group.line }
            let throughGroup = keepsExplanations ? nestingPath(to: id, enteredFrom, root: root, grant: grant) : grant
            // The group's own DN among its members is a placeholder; it was met when the group was entered.
            for member in group.members where lastExpansion[Int(member)] != expansion {
                lastExpansion[Int(member)] = expansion
                if let memberPosition = directory.position(of: member), directory.entries[memberPosition].isGroup {
                    if keepsExplanations { enteredFrom[member] = id }
                    pending.append(member)
                } else {
                    grantUser(member, feature, throughGroup, &facts)
                }
            }
            for uid in group.memberUids {
                try grantMemberUid(uid, of: group, feature, throughGroup, &facts)
            }
            if let relativeID = group.relativeID {
                for member in primaryGroupMembers(relativeID) where lastExpansion[Int(member)] != expansion {
                    lastExpansion[Int(member)] = expansion
                    grantUser(member, feature, throughGroup, &facts)
                }
            }
        }
    }

    /// `grant` with its detail the DNs from group `id` up to the mapped group `root`, joined by ` -> `.
    private func nestingPath(to id: Int32, _ enteredFrom: [Int32: Int32], root: Int32, grant: Provenance) -> Provenance
    {
        guard id != root else { return grant }
        var path: [String] = []
        var group: Int32? = id
        while let current = group, current != root {
            path.append(directory.position(of: current).map { directory.entries[$0].dn } ?? directory.names.dn(current))
            group = enteredFrom[current]
        }
        path.append(grant.detail ?? directory.names.dn(root))
        return Provenance(file: grant.file, line: grant.line, detail: path.joined(separator: " -> "))
    }

    private mutating func grantUser(_ id: Int32, _ feature: String, _ grant: Provenance, _ facts: inout CustomerFacts) {
        switch identity(of: id) {
        case .disabled:
            disabled.insert(id)
            if keepsExplanations { expansionDisabled.append((id, grant)) }
        case .user(let position):
            expansionUsers.append(position)
            var userID = directory.entries[Int(position)].userID!
            userID.withUTF8 { facts.grant(user: $0, feature: feature, at: grant) }
        case .unresolved:
            if !isUnresolvedDN[Int(id)] {
                isUnresolvedDN[Int(id)] = true
                unresolvedDNs.append(id)
            }
            directory.names.withBytes(of: id) { facts.grant(user: $0, feature: feature, at: grant) }
        }
    }

    /// Who DN number `id` is, worked out once: a million member values name far fewer users.
    private mutating func identity(of id: Int32) -> Identity {
        if let known = Identity(code: identities[Int(id)]) { return known }
        let identity: Identity
        let position = directory.position(of: id)
        let entry = position.map { directory.entries[$0] }
        if entry?.isDisabled == true {
            identity = .disabled
        } else if let position, entry?.userID != nil {
            identity = .user(position: Int32(position))
        } else {
            identity = .unresolved
        }
        identities[Int(id)] = identity.code
        return identity
    }

    private mutating func grantMemberUid(
        _ uid: String,
        of group: LDIFEntry,
        _ feature: String,
        _ grant: Provenance,
        _ facts: inout CustomerFacts
    ) throws {
        let index = uidIndex()
        var candidates = index.uid[uid.lowercased()] ?? []
        if candidates.isEmpty, uid.allSatisfy({ $0.isASCII && $0.isNumber }) { candidates = index.number[uid] ?? [] }
        guard let first = candidates.first else {
            if unresolvedUIDSet.insert(uid).inserted { unresolvedUIDs.append(uid) }
            facts.grant(user: uid, feature: feature, at: grant)
            return
        }
        var keys: Set<String> = []
        for candidate in candidates { keys.insert(userKey(candidate)) }
        guard keys.count == 1 else {
            throw LDIFError.ambiguousMemberUid(
                file: file,
                line: group.line,
                group: group.dn,
                uid: uid,
                entries: candidates.map { directory.position(of: $0).map { directory.entries[$0].dn } ?? "" }.sorted()
            )
        }
        guard lastExpansion[Int(first)] != expansion else { return }
        lastExpansion[Int(first)] = expansion
        grantUser(first, feature, grant, &facts)
    }

    private mutating func uidIndex() -> (uid: [String: [Int32]], number: [String: [Int32]]) {
        if let byUID { return byUID }
        var index: (uid: [String: [Int32]], number: [String: [Int32]]) = ([:], [:])
        // The entry with the empty DN is the root DSE, never a user: a memberUid naming its uid counts by the uid.
        for (position, entry) in directory.entries.enumerated() where !entry.isGroup && !entry.dn.isEmpty {
            // Values differing only in case list the entry once.
            for uid in Set(entry.uids.map { $0.lowercased() }) {
                index.uid[uid, default: []].append(directory.entryIDs[position])
            }
            if let number = entry.uidNumber { index.number[number, default: []].append(directory.entryIDs[position]) }
        }
        byUID = index
        return index
    }

    private mutating func primaryGroupMembers(_ relativeID: UInt32) -> [Int32] {
        if byPrimaryGroup == nil {
            var index: [UInt32: [Int32]] = [:]
            for (position, entry) in directory.entries.enumerated() where !entry.isGroup && !entry.dn.isEmpty {
                if let group = entry.primaryGroupID { index[group, default: []].append(directory.entryIDs[position]) }
            }
            byPrimaryGroup = index
        }
        return byPrimaryGroup?[relativeID] ?? []
    }

    private mutating func userKey(_ id: Int32) -> String {
        switch identity(of: id) {
        case .disabled: return directory.names.dn(id)
        case .user(let position): return UserKey.of(directory.entries[Int(position)].userID!)
        case .unresolved: return UserKey.of(directory.names.dn(id))
        }
    }

    /// The user ids that several user entries of one customer's mapped groups have: they take one seat.
    func sharedUserIDs() -> [LDIFNote] {
        var shared: [[Int32]] = []
        for customer in users.keys.sorted() {
            var positions: [String: Set<Int32>] = [:]
            for position in users[customer]! {
                positions[UserKey.of(directory.entries[Int(position)].userID!), default: []].insert(position)
            }
            shared += positions.values.filter { $0.count > 1 }.map { $0.sorted() }
        }
        guard !shared.isEmpty else { return [] }
        let ids = shared.sorted { $0.lexicographicallyPrecedes($1) }.map { positions in
            LDIFNote.SharedUserID(
                id: directory.entries[Int(positions[0])].userID!,
                lines: positions.map { directory.entries[Int($0)].line }
            )
        }
        return [.sharedUserIDs(file: file, attribute: idAttribute, ids: ids)]
    }

    /// One line per kind of finding, each naming the file.
    func notes() -> [String] {
        var notes: [String] = []
        if !disabled.isEmpty {
            let users = disabled.count == 1 ? "1 disabled user" : "\(disabled.count) disabled users"
            notes.append("\(file): skipped \(users) (userAccountControl bit 0x2) in mapped groups")
        }
        if !unresolvedUIDs.isEmpty {
            let first = unresolvedUIDs.prefix(LDIFNote.sampleSize)
            notes.append(
                "\(file): \(LDIFNote.count(unresolvedUIDs.count, "memberUid value")) no entry in the export; "
                    + "counted by the uid itself: \(LDIFNote.sample(first, of: unresolvedUIDs.count))"
            )
        }
        if !unresolvedDNs.isEmpty {
            // A directory without user entries leaves every member unresolved: sorting them all only to show the
            // first few would cost more than reading the file.
            let first = smallestUnresolvedDNs()
            notes.append(
                "\(file): \(LDIFNote.count(unresolvedDNs.count, "member DN")) no entry with \(idAttribute) in the export; "
                    + "counted by the normalised DN: \(LDIFNote.sample(first, of: unresolvedDNs.count))"
            )
        }
        for (id, line) in dynamicGroups.sorted(by: { $0.value < $1.value }) {
            let dn = directory.position(of: id).map { directory.entries[$0].dn } ?? directory.names.dn(id)
            notes.append(
                "\(file):\(line): \(dn) is a dynamic group (memberURL); its URL members cannot be resolved "
                    + "from a file and take no seat"
            )
        }
        return notes
    }

    /// The first few unresolved DNs in sorted order, without sorting them all.
    private func smallestUnresolvedDNs() -> [String] {
        var kept: [String] = []
        /// The largest kept DN, once `kept` is full, when it is ASCII: for ASCII, byte order is string order, so a
        /// DN past it needs no `String` to be passed over.
        var largest: [UInt8]?
        for id in unresolvedDNs {
            if let largest {
                let isPast = directory.names.withBytes(of: id) { dn in
                    !dn.lexicographicallyPrecedes(largest) && !dn.contains { $0 >= 0x80 }
                }
                if isPast { continue }
            }
            let dn = directory.names.dn(id)
            if kept.count == LDIFNote.sampleSize, dn >= kept[LDIFNote.sampleSize - 1] { continue }
            kept.insert(dn, at: kept.firstIndex { dn < $0 } ?? kept.count)
            if kept.count > LDIFNote.sampleSize { kept.removeLast() }
            if kept.count == LDIFNote.sampleSize {
                let last = Array(kept[LDIFNote.sampleSize - 1].utf8)
                largest = last.contains { $0 >= 0x80 } ? nil : last
            }
        }
        return kept
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
