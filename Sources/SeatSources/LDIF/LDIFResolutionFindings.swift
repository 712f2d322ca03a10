/// What resolving an export found that the operator should hear about but that does not stop the pass: disabled
/// members skipped, `memberUid` values and member DNs that name no entry, dynamic groups, and user ids that several
/// entries share.
struct LDIFResolutionFindings {
    let file: String
    let idAttribute: String
    /// DN numbers of the disabled members of mapped groups.
    private var disabled: Set<Int32> = []
    /// The `memberUid` values that name no entry, in the order met, each with the batch that met it first: parts
    /// of an export resolved apart merge into the order one walk would have met them in.
    private var unresolvedUIDs: [(batch: Int, uid: String)] = []
    private var unresolvedUIDSet: Set<String> = []
    /// How many distinct member DNs were counted by the DN itself, and one bit per DN number for those counted.
    private var unresolvedDNCount = 0
    private var isUnresolvedDN: [UInt64]
    private var smallestUnresolvedDNs = LDIFSmallestDNs(limit: SourceNote.sampleSize)
    /// Dynamic groups met, by DN number, with their line.
    private var dynamicGroups: [Int32: Int] = [:]
    /// Per customer, the positions of the user entries its mapped groups hold (with repeats).
    private var users: [String: [Int32]] = [:]

    init(file: String, idAttribute: String, dnCount: Int) {
        self.file = file
        self.idAttribute = idAttribute
        isUnresolvedDN = [UInt64](repeating: 0, count: dnCount / 64 + 1)
    }

    mutating func disabledMember(_ id: Int32) {
        disabled.insert(id)
    }

    /// Notes a `memberUid` value that names no entry, met expanding the batch numbered `batch`.
    mutating func unresolvedUID(_ uid: String, batch: Int) {
        if unresolvedUIDSet.insert(uid).inserted { unresolvedUIDs.append((batch, uid)) }
    }

    /// Notes member DN `id`, counted by its normalised form `dn`.
    mutating func unresolvedDN(_ id: Int32, _ dn: UnsafeBufferPointer<UInt8>) {
        let word = Int(id) / 64
        let bit = UInt64(1) << (UInt64(id) % 64)
        guard isUnresolvedDN[word] & bit == 0 else { return }
        isUnresolvedDN[word] |= bit
        unresolvedDNCount += 1
        smallestUnresolvedDNs.offer(dn)
    }

    mutating func dynamicGroup(_ id: Int32, line: Int) {
        dynamicGroups[id] = line
    }

    /// Notes that `customer`'s mapped groups hold the user entries at `positions`.
    mutating func users(_ positions: [Int32], of customer: String) {
        users[customer, default: []] += positions
    }

    /// Adds what `other` found, resolving batches other than these (and, for each customer, all of its batches).
    mutating func merge(_ other: Self) {
        disabled.formUnion(other.disabled)
        // By batch, and within one (which one part expanded) in the order met; a value both met is kept where it
        // was met first.
        let met = (unresolvedUIDs + other.unresolvedUIDs).enumerated()
            .sorted { ($0.element.batch, $0.offset) < ($1.element.batch, $1.offset) }
        unresolvedUIDSet = []
        unresolvedUIDs = met.map(\.element).filter { unresolvedUIDSet.insert($0.uid).inserted }
        for (word, bits) in other.isUnresolvedDN.enumerated() { isUnresolvedDN[word] |= bits }
        unresolvedDNCount = isUnresolvedDN.reduce(0) { $0 + $1.nonzeroBitCount }
        smallestUnresolvedDNs.merge(other.smallestUnresolvedDNs)
        dynamicGroups.merge(other.dynamicGroups) { line, _ in line }
        users.merge(other.users, uniquingKeysWith: +)
    }

    /// The user ids that several user entries of one customer's mapped groups have: they take one seat.
    func sharedUserIDs(in directory: LDIFDirectory) -> [SourceNote] {
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
            SourceNote.Item(
                directory.entries[Int(positions[0])].userID!,
                lines: positions.map { directory.entries[Int($0)].line }
            )
        }
        return [SourceNote(.sharedUserIDs, file: file, attribute: idAttribute, total: ids.count, items: ids)]
    }

    /// One note per kind of finding, and one per dynamic group.
    func notes(in directory: LDIFDirectory) -> [SourceNote] {
        var notes: [SourceNote] = []
        if !disabled.isEmpty {
            notes.append(SourceNote(.disabledUsers, file: file, total: disabled.count))
        }
        if !unresolvedUIDs.isEmpty {
            notes.append(
                SourceNote(
                    .unresolvedMemberUIDs,
                    file: file,
                    total: unresolvedUIDs.count,
                    items: unresolvedUIDs.prefix(SourceNote.sampleSize).map { SourceNote.Item($0.uid) }
                )
            )
        }
        if unresolvedDNCount > 0 {
            notes.append(
                SourceNote(
                    .unresolvedMemberDNs,
                    file: file,
                    attribute: idAttribute,
                    total: unresolvedDNCount,
                    items: smallestUnresolvedDNs.kept.map { SourceNote.Item($0) }
                )
            )
        }
        for (id, line) in dynamicGroups.sorted(by: { $0.value < $1.value }) {
            let dn = directory.position(of: id).map { directory.entries[$0].dn } ?? directory.names.dn(id)
            notes.append(SourceNote(.dynamicGroup, file: file, line: line, items: [SourceNote.Item(dn)]))
        }
        return notes
    }
}
