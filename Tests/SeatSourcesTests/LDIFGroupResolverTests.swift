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

    mutating func user(_ dn: String, id userID: String, disabled: Bool = false, primaryGroupID: UInt32? = nil) {
        var entry = LDIFEntry(dn: dn, line: line)
        entry.userID = userID
        entry.uids = [userID]
        entry.isDisabled = disabled
        entry.primaryGroupID = primaryGroupID
        add(entry, dn)
    }

    private mutating func add(_ entry: LDIFEntry, _ dn: String) {
        directory.add(entry, id: id(dn), numberingMembers: true)
        line += 10
    }
}

private func resolve(_ builder: DirectoryBuilder, groups: [String: String]) throws -> SourceReading {
    try LDIFGroupResolver(file: "g.ldif", options: LDIFOptions(customer: .rdn("o"), groups: groups))
        .resolve(builder.directory, source: "directory", allowEmpty: false)
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
