import Testing

@testable import SeatSources

/// A directory built entry by entry, as ``LDIFRecordReader`` would leave it, so the resolver is tested on its own.
private struct DirectoryBuilder {
    var directory = LDIFDirectory()
    private var normalizer = DNNormalizer()
    private var line = 1

    mutating func id(_ dn: String) -> Int32 {
        normalize(dn)
        return normalizer.output.withUnsafeBufferPointer { directory.names.id(of: $0) }
    }

    mutating func member(_ dn: String) {
        normalize(dn)
        normalizer.output.withUnsafeBufferPointer { directory.appendMember($0) }
    }

    private mutating func normalize(_ dn: String) {
        try! Array(dn.utf8).withUnsafeBufferPointer { try normalizer.normalize($0) }
    }

    mutating func group(_ dn: String, members: [String] = [], memberUids: [String] = [], relativeID: UInt32? = nil) {
        var entry = LDIFEntry(dn: dn, line: line)
        entry.isGroup = true
        for member in members { self.member(member) }
        entry.memberUids = memberUids
        entry.relativeID = relativeID
        add(entry, dn)
    }

    mutating func user(
        _ dn: String,
        id userID: String,
        uids: [String]? = nil,
        disabled: Bool = false,
        primaryGroupID: UInt32? = nil
    ) {
        var entry = LDIFEntry(dn: dn, line: line)
        entry.userID = userID
        entry.uids = uids ?? [userID]
        entry.isDisabled = disabled
        entry.primaryGroupID = primaryGroupID
        add(entry, dn)
    }

    private mutating func add(_ entry: LDIFEntry, _ dn: String) {
        directory.add(entry, id: id(dn), numberingMembers: true)
        line += 10
    }
}

private func resolve(
    _ builder: DirectoryBuilder,
    groups: [String: String],
    splitting: Bool = true,
    keepsExplanations: Bool = false
) throws -> SourceReading {
    var resolver = LDIFGroupResolver(file: "g.ldif", options: LDIFOptions(customer: .rdn("o"), groups: groups))
    resolver.splitting = splitting
    resolver.keepsExplanations = keepsExplanations
    return try resolver.resolve(builder.directory, source: "directory", allowEmpty: false)
}

@Suite struct LDIFGroupResolverTests {
    @Test func nestedGroupsInACycleGrantEveryoneOnceUnderTheMappedGroup() throws {
        // editors -> team -> crew -> editors, with ann in editors and crew, bob in team.
        // Expected: editor seats for ann and bob, both granted by editors (line 1).
        var builder = DirectoryBuilder()
        builder.group("cn=editors,o=acme", members: ["uid=ann,o=acme", "cn=team,o=acme"])
        builder.group("cn=team,o=acme", members: ["uid=bob,o=acme", "cn=crew,o=acme"])
        builder.group("cn=crew,o=acme", members: ["uid=ann,o=acme", "cn=editors,o=acme"])
        builder.user("uid=ann,o=acme", id: "ann")
        builder.user("uid=bob,o=acme", id: "bob")
        let reading = try resolve(builder, groups: ["editors": "editor"])
        #expect(ldifSeats(reading) == ["acme": ["editor": ["ann", "bob"]]])
        #expect(reading.customers["acme"]?.users["bob"]?.grants.map(\.at.line) == [1])
        #expect(reading.unmappedRoles.isEmpty)
    }

    @Test func twoMappedGroupsOfOneFeatureGrantUnderTheFirst() throws {
        // Input: editors (line 1) and EMEA editors (line 11, also mapped to editor) both hold ann.
        // Expected: one editor grant for ann, with the provenance of the first group in file order.
        var builder = DirectoryBuilder()
        builder.group("cn=editors,o=acme", members: ["uid=ann,o=acme"])
        builder.group("cn=emea-editors,o=acme", members: ["uid=ann,o=acme", "uid=cy,o=acme"])
        builder.user("uid=ann,o=acme", id: "ann")
        let reading = try resolve(builder, groups: ["editors": "editor", "emea-editors": "editor"])
        #expect(ldifSeats(reading) == ["acme": ["editor": ["ann", "uid=cy,o=acme"]]])
        #expect(reading.customers["acme"]?.users["ann"]?.grants.map(\.at.detail) == ["cn=editors,o=acme"])
    }

    @Test func disabledUsersAndPrimaryGroupMembers() throws {
        // Input: viewers (RID 1302) lists dee (disabled) and eve; fay's primaryGroupID is 1302.
        // Expected: eve and fay hold viewer seats; dee is skipped and counted in a note.
        var builder = DirectoryBuilder()
        builder.group("cn=viewers,o=acme", members: ["uid=dee,o=acme", "uid=eve,o=acme"], relativeID: 1302)
        builder.user("uid=dee,o=acme", id: "dee", disabled: true)
        builder.user("uid=eve,o=acme", id: "eve")
        builder.user("uid=fay,o=acme", id: "fay", primaryGroupID: 1302)
        let reading = try resolve(builder, groups: ["viewers": "viewer"])
        #expect(ldifSeats(reading) == ["acme": ["viewer": ["eve", "fay"]]])
        #expect(reading.notes == [SourceNote(.disabledUsers, file: "g.ldif", total: 1)])
    }

    @Test func unresolvedMemberUidsAreCountedAndListed() throws {
        // Input: twelve memberUid values naming no entry. Expected: twelve seats and one note listing ten of them.
        var builder = DirectoryBuilder()
        let uids = (1...12).map { "u\($0)" }
        builder.group("cn=editors,o=acme", memberUids: uids)
        let reading = try resolve(builder, groups: ["editors": "editor"])
        #expect(ldifSeats(reading)["acme"]?["editor"]?.count == 12)
        #expect(
            reading.notes == [
                SourceNote(
                    .unresolvedMemberUIDs,
                    file: "g.ldif",
                    total: 12,
                    items: (1...10).map { SourceNote.Item("u\($0)") }
                )
            ]
        )
    }

    @Test func unmappedGroupsAreReportedByName() throws {
        // Input: a mapped group and two unmapped ones (names from their RDN, as no cn was kept), one of them nested
        // into the mapped one. Expected: only the group no mapped group uses is an unmapped role.
        var builder = DirectoryBuilder()
        builder.group("cn=editors,o=acme", members: ["cn=helpers,o=acme"])
        builder.group("cn=helpers,o=acme")
        builder.group("cn=Everyone,o=acme")
        let reading = try resolve(builder, groups: ["editors": "editor"])
        #expect(reading.unmappedRoles == ["Everyone": 1])
        #expect(ldifSeats(reading) == ["acme": [:]])
    }
}

extension LDIFGroupResolverTests {
    @Test func unresolvedMemberDNsAreListedSmallestFirst() throws {
        // Input: 25 member DNs naming no entry, in shuffled order, some with non-ASCII values (one written with a
        // combining accent, which sorts as its composed letter). Expected: 25 seats and one note naming the ten
        // smallest in string order, then how many more there are.
        var builder = DirectoryBuilder()
        var members = (1...22).map { "uid=u\(String($0 * 37 % 23, radix: 10)),o=acme" }
        members += ["uid=ué,o=acme", "uid=u\u{0065}\u{0301}x,o=acme", "uid=Ü,o=acme"]
        members.shuffle()
        builder.group("cn=editors,o=acme", members: members)
        let reading = try resolve(builder, groups: ["editors": "editor"])
        var normalised = DNNormalizer()
        let dns = try members.map { member in
            try Array(member.utf8).withUnsafeBufferPointer { try normalised.normalize($0) }
            return String(decoding: normalised.output, as: UTF8.self)
        }
        #expect(ldifSeats(reading)["acme"]?["editor"]?.count == 25)
        #expect(
            reading.notes == [
                SourceNote(
                    .unresolvedMemberDNs,
                    file: "g.ldif",
                    attribute: "uid",
                    total: 25,
                    items: dns.sorted().prefix(10).map { SourceNote.Item($0) }
                )
            ]
        )
    }
}

/// Resolution in two parts on two threads (``LDIFGroupResolver/splitting``) against one walk over the batches.
extension LDIFGroupResolverTests {
    /// A directory whose batches, in file order, are acme editors (0), globex editors (1), acme viewers (2) and
    /// initech viewers (3). Acme's groups list most members, so acme is the first part and globex and initech the
    /// second: the first part expands batches 0 and 2, the second 1 and 3.
    private func interleavedCustomers() -> DirectoryBuilder {
        var builder = DirectoryBuilder()
        let crowd = (1...12).map { "uid=m\($0),o=acme" }
        builder.group("cn=editors,o=acme", members: crowd + ["uid=ghost,o=shared", "uid=zoe,o=acme"])
        builder.group(
            "cn=editors,o=globex",
            members: ["uid=ghost,o=shared", "uid=bea,o=globex", "cn=crew,o=globex"],
            memberUids: ["yan"]
        )
        builder.group("cn=crew,o=globex", members: ["uid=dee,o=globex", "uid=able,o=globex"])
        builder.group("cn=viewers,o=acme", members: crowd + ["uid=dee,o=globex"], memberUids: ["zed", "yan"])
        builder.group("cn=viewers,o=initech", members: ["uid=ann,o=initech"], memberUids: ["xu"])
        builder.user("uid=zoe,o=acme", id: "zoe")
        builder.user("uid=bea,o=globex", id: "bea")
        builder.user("uid=dee,o=globex", id: "dee", disabled: true)
        builder.user("uid=able,o=globex", id: "Bea")
        return builder
    }

    /// Everything a reading says, one line each, in a stable order.
    private func summary(_ reading: SourceReading) -> [String] {
        var lines: [String] = []
        for (customer, facts) in reading.customers.sorted(by: { $0.key < $1.key }) {
            for user in facts.users {
                let grants = user.grants.map { "\($0.feature)@\($0.at.line):\($0.at.detail ?? "")" }
                lines.append("\(customer) \(user.id) \(grants.joined(separator: " "))")
            }
        }
        lines += reading.notes.map { "note \($0)" }
        lines += reading.unmappedRoles.sorted(by: { $0.key < $1.key }).map { "unmapped \($0.key) \($0.value)" }
        for (customer, users) in reading.skippedUsers.sorted(by: { $0.key < $1.key }) {
            lines += users.map { "skipped \(customer) \($0)" }
        }
        return lines
    }

    @Test func twoPartsReadAsOneWalkOverTheBatches() throws {
        // Input: interleavedCustomers(), with explanations kept and without. Expected: the same seats, grants,
        // provenance, notes, unmapped roles and skipped users as one walk in batch order; in particular the
        // memberUid note lists yan (batch 1, second part) before zed (batch 2, first part), ghost (a member DN of a
        // group in each part) counts once among the unresolved DNs, and crew, held only by a group of the second
        // part, is no unmapped role. The ten smallest unresolved DNs listed start with ann (second part) and ghost
        // (both parts, listed once).
        let groups = ["editors": "editor", "viewers": "viewer"]
        for explaining in [false, true] {
            let split = try resolve(interleavedCustomers(), groups: groups, keepsExplanations: explaining)
            let walked = try resolve(
                interleavedCustomers(),
                groups: groups,
                splitting: false,
                keepsExplanations: explaining
            )
            #expect(summary(split) == summary(walked))
            let uids = split.notes.first { $0.kind == .unresolvedMemberUIDs }
            #expect(uids?.items.map(\.value) == ["yan", "zed", "xu"])
            let dns = split.notes.first { $0.kind == .unresolvedMemberDNs }
            #expect(dns?.total == 14)
            #expect(dns?.items.prefix(3).map(\.value) == ["uid=ann,o=initech", "uid=ghost,o=shared", "uid=m1,o=acme"])
            #expect(split.unmappedRoles.isEmpty)
            #expect(split.notes.contains { $0.kind == .sharedUserIDs })
        }
    }

    @Test func theErrorIsTheFirstFailingBatchsWhicheverPartMetIt() throws {
        // Input: interleavedCustomers(), plus two user entries with uid yan and different ids, so that the
        // memberUid yan is ambiguous in globex editors (batch 1, second part) and in acme viewers (batch 2, first
        // part). Expected: the error names globex editors, as one walk in batch order would.
        var builder = interleavedCustomers()
        builder.user("uid=yan1,o=globex", id: "yan.one", uids: ["yan"])
        builder.user("uid=yan2,o=globex", id: "yan.two", uids: ["yan"])
        for splitting in [true, false] {
            #expect {
                try resolve(builder, groups: ["editors": "editor", "viewers": "viewer"], splitting: splitting)
            } throws: { error in
                guard case .ambiguousMemberUid(_, _, let group, let uid, _) = error as? LDIFError else { return false }
                return group == "cn=editors,o=globex" && uid == "yan"
            }
        }
    }
}
