/// The walk from mapped groups through the groups nested in them to the users they hold, granting each user the
/// batch's feature code: indexes built once, and each entry met once per expansion, so cycles end.
struct LDIFGroupExpansion {
    let directory: LDIFDirectory
    let file: String
    let keepsExplanations: Bool
    private(set) var findings: LDIFResolutionFindings
    private let userIndex: LDIFUserIndex
    /// For each entry position, the last expansion that met it: within one expansion a group is entered once and a
    /// user entry reached by several paths or several groups of the batch is granted once. A member DN without an
    /// entry is not marked: granting it again changes nothing, and a mark per DN took four bytes for each of a
    /// million.
    private var lastExpansion: [Int32]
    private var expansion: Int32 = 0
    /// The number of the batch under way, for the findings' order.
    private var batch = 0

    /// Every group some mapped group holds, itself included, by DN number.
    private(set) var reached: Set<Int32> = []
    /// The positions of the user entries granted in the expansion under way.
    private var expansionUsers: [Int32] = []
    /// With `keepsExplanations`, the disabled members met in the expansion under way, and the grant they missed.
    private var expansionDisabled: [(id: Int32, grant: Provenance)] = []
    /// With `keepsExplanations`, per customer, the disabled members of its mapped groups.
    private(set) var skipped: [String: [SkippedUser]] = [:]

    init(
        directory: LDIFDirectory,
        userIndex: LDIFUserIndex,
        file: String,
        idAttribute: String,
        keepsExplanations: Bool
    ) {
        self.directory = directory
        self.userIndex = userIndex
        self.file = file
        self.keepsExplanations = keepsExplanations
        findings = LDIFResolutionFindings(file: file, idAttribute: idAttribute, dnCount: directory.names.count)
        lastExpansion = Array(repeating: -1, count: directory.entries.count)
    }

    /// Grants the feature code of `batch` to everyone its groups hold, following nested groups; each grant names the
    /// group it came through.
    /// - Parameter number: the batch's place among the export's batches.
    mutating func expand(_ batch: LDIFGroupBatches.Batch, number: Int, into facts: inout CustomerFacts) throws {
        let (roots, feature, customer) = (batch.roots, batch.key.feature, batch.key.customer)
        expansion += 1
        self.batch = number
        expansionUsers.removeAll(keepingCapacity: true)
        for root in roots {
            guard let position = directory.position(of: root.id), isFirstMeeting(position) else { continue }
            try expand(root.id, feature: feature, at: root.grant, into: &facts)
        }
        findings.users(expansionUsers, of: customer)
        for (id, grant) in expansionDisabled {
            let entry = directory.position(of: id).map { directory.entries[$0] }
            let user = SkippedUser(id: entry?.userID ?? directory.names.dn(id), at: grant, reason: .disabled)
            if !skipped[customer, default: []].contains(user) { skipped[customer, default: []].append(user) }
        }
        expansionDisabled.removeAll()
    }

    /// Adds what `other` found and granted expanding other batches, of other customers.
    mutating func merge(_ other: Self) {
        findings.merge(other.findings)
        reached.formUnion(other.reached)
        skipped.merge(other.skipped) { mine, _ in mine }
    }

    /// Whether the expansion under way meets the entry at `position` for the first time; marks it met.
    private mutating func isFirstMeeting(_ position: Int) -> Bool {
        guard lastExpansion[position] != expansion else { return false }
        lastExpansion[position] = expansion
        return true
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
            if group.isDynamic { findings.dynamicGroup(id, line: group.line) }
            let throughGroup = keepsExplanations ? nestingPath(to: id, enteredFrom, root: root, grant: grant) : grant
            // The group's own DN among its members is a placeholder; it was met when the group was entered.
            for member in directory.members(of: group) {
                guard let memberPosition = directory.position(of: member) else {
                    grantUser(member, feature, throughGroup, &facts)
                    continue
                }
                guard isFirstMeeting(memberPosition) else { continue }
                if directory.entries[memberPosition].isGroup {
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
                for member in userIndex.entries(withPrimaryGroup: relativeID) {
                    guard let memberPosition = directory.position(of: member), isFirstMeeting(memberPosition) else {
                        continue
                    }
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
        switch LDIFMemberIdentity(of: id, in: directory) {
        case .disabled:
            findings.disabledMember(id)
            if keepsExplanations { expansionDisabled.append((id, grant)) }
        case .user(let position):
            expansionUsers.append(Int32(position))
            // Numbered first, as in `grantUnresolved`, so that the closure captures no string.
            let (number, place, line) = (facts.featureNumber(feature), facts.placeNumber(of: grant), grant.line)
            var userID = directory.entries[position].userID!
            userID.withUTF8 { facts.grant(user: $0, feature: number, place: place, line: line) }
        case .unresolved:
            Self.grantUnresolved(id, names: directory.names, feature, grant, &findings, &facts)
        }
    }

    /// Grants `feature` to member DN `id`, which counts by its normalised DN.
    ///
    /// Static, so that the closure reading the DN's bytes captures `findings` rather than `self`: capturing `self`
    /// made Swift copy the DN table for every member, retaining and releasing each of its arrays (about 6% of
    /// resolution on the many-groups benchmark). The feature code and the provenance are numbered before it, so
    /// that it captures no string either: each captured string was retained and released for every member, the
    /// file's name and the feature code by both threads resolving customers.
    private static func grantUnresolved(
        _ id: Int32,
        names: DNTable,
        _ feature: String,
        _ grant: Provenance,
        _ findings: inout LDIFResolutionFindings,
        _ facts: inout CustomerFacts
    ) {
        let number = facts.featureNumber(feature)
        let place = facts.placeNumber(of: grant)
        let line = grant.line
        names.withBytes(of: id) { dn in
            findings.unresolvedDN(id, dn)
            facts.grant(user: dn, feature: number, place: place, line: line)
        }
    }

    private mutating func grantMemberUid(
        _ uid: String,
        of group: LDIFEntry,
        _ feature: String,
        _ grant: Provenance,
        _ facts: inout CustomerFacts
    ) throws {
        let candidates = userIndex.entries(withUID: uid)
        guard let first = candidates.first else {
            findings.unresolvedUID(uid, batch: batch)
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
        guard let position = directory.position(of: first), isFirstMeeting(position) else { return }
        grantUser(first, feature, grant, &facts)
    }

    /// How the merge would key the user DN number `id` stands for.
    private func userKey(_ id: Int32) -> String {
        switch LDIFMemberIdentity(of: id, in: directory) {
        case .disabled: return directory.names.dn(id)
        case .user(let position): return UserKey.of(directory.entries[position].userID!)
        case .unresolved: return UserKey.of(directory.names.dn(id))
        }
    }
}
