import Foundation
import SeatSync
import TestSupport
import Testing

@Suite struct ConfigCheckRendererTests {
    @Test func controlCharactersFromSourcesAndConfigAreShownEscaped() throws {
        // Input: a CSV source whose `customers` mapping renames acme to "acme\n<ESC>[2Jforged" (a YAML string may hold
        // any control character) and whose role mapping maps Editor to "edi<ESC>tor". Expected: check-config's text
        // shows both with \n and \u{1b}, no raw control character, and its tables stay aligned.
        let folder = try TemporaryDirectory()
        try folder.write("users.csv", "customer,user,role\nacme,ana,Editor\nacme,bo,Editor\n")
        let configPath = try folder.write(
            "seat-sync.yaml",
            """
            state_dir: state
            sources:
              - name: hr
                type: csv
                path: users.csv
                columns: {customer: customer, user: user, role: role}
                roles: {Editor: "edi\\etor"}
                customers: {acme: "acme\\n\\e[2Jforged"}

            """
        )
        let config = try ConfigLoader.load(path: configPath, environment: [:])
        let check = try ConfigCheck.run(config)
        let text = ConfigCheckRenderer(check: check, apiKey: .notChecked, featureOrder: []).text()
        #expect(!text.unicodeScalars.contains("\u{1B}"))
        #expect(!text.split(separator: "\n").contains { $0.hasPrefix("\u{1B}[2Jforged") })
        #expect(
            text.hasSuffix(
                """
                desired seats, all sources merged: 1 customer, 2 seats
                  customer               edi\\u{1b}tor
                  acme\\n\\u{1b}[2Jforged             2

                """
            )
        )
    }

    @Test func notesAreStructuredInJSONAndOneLineInText() throws {
        // Input: an LDIF source whose export has a dynamic group and a memberUid naming no entry. Expected: the text
        // shows each note as one `note:` line; the JSON gives each its kind, file, line, total and items, and the
        // same line as `text`.
        let folder = try TemporaryDirectory()
        let export = try folder.write(
            "groups.ldif",
            "dn: cn=editors,o=acme\nobjectClass: groupOfURLs\nmemberURL: ldap:///o=acme??sub?(x=1)\n"
                + "memberUid: ghost\n"
        )
        let configPath = try folder.write(
            "seat-sync.yaml",
            """
            state_dir: state
            sources:
              - name: directory
                type: ldif
                path: groups.ldif
                customer: {rdn: o}
                groups: {editors: editor}

            """
        )
        let check = try ConfigCheck.run(try ConfigLoader.load(path: configPath, environment: [:]))
        let renderer = ConfigCheckRenderer(check: check, apiKey: .notChecked, featureOrder: [])
        let unresolved = "\(export): 1 memberUid value names no entry in the export; counted by the uid itself: ghost"
        let dynamic =
            "\(export):1: cn=editors,o=acme is a dynamic group (memberURL); its URL members cannot be resolved from a "
            + "file and take no seat"
        let text = renderer.text()
        #expect(text.contains("  note: \(unresolved)\n"), "\(text)")
        #expect(text.contains("  note: \(dynamic)\n"), "\(text)")

        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(renderer.json().utf8)) as? [String: Any]
        )
        let sources = try #require(json["sources"] as? [[String: Any]])
        let notes = try #require(sources.first?["notes"] as? [[String: Any]])
        #expect(notes.map { $0["kind"] as? String } == ["unresolved_member_uids", "dynamic_group"])
        #expect(notes.map { $0["text"] as? String } == [unresolved, dynamic])
        #expect(notes.map { $0["file"] as? String } == [export, export])
        #expect(notes.map { $0["total"] as? Int } == [1, 1])
        #expect(notes[1]["line"] as? Int == 1)
        let items = notes.map { ($0["items"] as? [[String: Any]])?.compactMap { $0["value"] as? String } }
        #expect(items == [["ghost"], ["cn=editors,o=acme"]])
    }
}
