import SeatSources
import Testing

@testable import SeatSync

/// Each kind of reader note as the one line `check-config` and the pass log show for it.
struct SourceNoteTextTests {
    @Test(arguments: [
        // (note, line)
        (
            SourceNote(.disabledUsers, file: "g.ldif", total: 1),
            "g.ldif: skipped 1 disabled user (userAccountControl bit 0x2) in mapped groups"
        ),
        (
            SourceNote(.disabledUsers, file: "g.ldif", total: 3),
            "g.ldif: skipped 3 disabled users (userAccountControl bit 0x2) in mapped groups"
        ),
        (
            SourceNote(
                .unresolvedMemberUIDs,
                file: "g.ldif",
                items: [SourceNote.Item("ghost"), SourceNote.Item("phantom")]
            ),
            "g.ldif: 2 memberUid values name no entry in the export; counted by the uid itself: ghost, phantom"
        ),
        (
            SourceNote(
                .unresolvedMemberUIDs,
                file: "g.ldif",
                total: 12,
                items: (1...12).map { SourceNote.Item("u\($0)") }
            ),
            "g.ldif: 12 memberUid values name no entry in the export; counted by the uid itself: "
                + "u1, u2, u3, u4, u5, u6, u7, u8, u9, u10 and 2 more"
        ),
        (
            SourceNote(
                .unresolvedMemberDNs,
                file: "g.ldif",
                attribute: "uid",
                items: [SourceNote.Item("uid=ghost,o=acme")]
            ),
            "g.ldif: 1 member DN names no entry with uid in the export; counted by the normalised DN: uid=ghost,o=acme"
        ),
        (
            SourceNote(.dynamicGroup, file: "g.ldif", line: 1, items: [SourceNote.Item("cn=editors,o=acme")]),
            "g.ldif:1: cn=editors,o=acme is a dynamic group (memberURL); its URL members cannot be resolved from a "
                + "file and take no seat"
        ),
        (
            SourceNote(
                .customerSpellings,
                file: "g.ldif",
                items: [SourceNote.Item("Globex", alternatives: ["globex"])]
            ),
            "g.ldif: customer Globex is also written globex; counted as Globex"
        ),
        (
            SourceNote(
                .unmatchedGroupKeys,
                file: "g.ldif",
                items: [SourceNote.Item("viewrs", alternatives: ["viewers"])]
            ),
            "g.ldif: 1 groups: key names no group in the file: viewrs (did you mean \"viewers\"?)"
        ),
        (
            SourceNote(
                .unmatchedGroupKeys,
                file: "g.ldif",
                items: [SourceNote.Item("editors"), SourceNote.Item("viewers")]
            ),
            "g.ldif: 2 groups: keys name no group in the file: editors, viewers"
        ),
        (
            SourceNote(
                .sharedUserIDs,
                file: "g.ldif",
                attribute: "uid",
                items: [SourceNote.Item("jdoe", lines: [7, 10])]
            ),
            "g.ldif: 1 uid value names several entries, each counted as one user: jdoe (lines 7, 10)"
        ),
        (
            SourceNote(
                .replicationConflicts,
                file: "g.ldif",
                items: [SourceNote.Item("nsuniqueid=3a+cn=x,o=acme", lines: [6])]
            ),
            "g.ldif: skipped 1 replication conflict entry (nsuniqueid in the RDN): nsuniqueid=3a+cn=x,o=acme (line 6)"
        ),
    ])
    func readsAsOneLine(note: SourceNote, line: String) {
        #expect(SourceNoteText.line(note) == line)
    }

    /// Input: a note the merge has given its source's name. Expected: the line starts with that name.
    @Test func aMergedNoteNamesItsSource() {
        var note = SourceNote(.disabledUsers, file: "g.ldif", total: 1)
        note.source = "directory"
        #expect(
            SourceNoteText.line(note)
                == "directory: g.ldif: skipped 1 disabled user (userAccountControl bit 0x2) in mapped groups"
        )
    }

    /// Input: every kind. Expected: a line naming the file, so that no kind can be added without its text.
    @Test(arguments: SourceNote.Kind.allCases)
    func everyKindNamesTheFile(kind: SourceNote.Kind) {
        #expect(
            SourceNoteText.line(SourceNote(kind, file: "f.ldif", items: [SourceNote.Item("x")])).hasPrefix("f.ldif")
        )
    }
}
