import Foundation
import SeatSources
import SeatSync
import TestSupport
import Testing

private let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path

/// The plan's reason for `feature`, worked out only from the users the explanation lists: when it equals the
/// merge's own `why`, every number of the reason column is backed by listed users.
private func reasonFromListedUsers(_ feature: CustomerExplanation.Feature, sources: [String]) -> String {
    if feature.seated.isEmpty && feature.seatedElsewhere.isEmpty { return "no source grants it" }
    var text = feature.seated.count == 1 ? "1 user" : "\(feature.seated.count) users"
    let perSource = sources.map { source in
        (
            source,
            feature.seated.filter { $0.grants.contains { $0.feature == feature.code && $0.source == source } }.count
        )
    }.filter { $0.1 > 0 }
    let several = feature.seated.filter { user in
        Set(user.grants.filter { $0.feature == feature.code }.map(\.source)).count > 1
    }.count
    if perSource.count == 1 {
        text += " (\(perSource[0].0))"
    } else if perSource.count > 1 {
        let overlap = several == 0 ? "" : "; \(several) in \(perSource.count == 2 ? "both" : "more than one")"
        text += " (\(perSource.map { "\($0.0) \($0.1)" }.joined(separator: ", "))\(overlap))"
    }
    let under = Dictionary(grouping: feature.seatedElsewhere.flatMap(\.seatedUnder), by: { $0 })
    for (code, users) in under.sorted(by: { $0.key < $1.key }) { text += "; \(users.count) counted under \(code)" }
    return text
}

/// Loads a seat-sync.yaml written in `folder` with one CSV source, `hr`, reading `path` (as written in the YAML):
/// columns customer, email and role, the role Editor mapped to editor.
private func hrConfig(in folder: TemporaryDirectory, path: String) throws -> SeatSyncConfig {
    let config = try folder.write(
        "seat-sync.yaml",
        """
        state_dir: state
        sources:
          - name: hr
            type: csv
            path: \(path)
            columns: {customer: customer, user: email, role: role}
            roles: {Editor: editor}

        """
    )
    return try ConfigLoader.load(path: config, environment: [:])
}

private func demoConfig() throws -> SeatSyncConfig {
    try ConfigLoader.load(path: repositoryRoot + "/config/demo/seat-sync.yaml", environment: [:])
}

@Suite struct ExplainTests {
    @Test func demoReasonColumnIsBackedByTheListedUsersOfEveryCustomer() throws {
        // Input: config/demo (CSV, LDIF, JSON). Expected: for every customer and code, the plan's reason rebuilt
        // from the listed users alone equals the merge's reason, and the seats equal the users listed.
        let config = try demoConfig()
        for customer in ["acme", "globex", "initech"] {
            let explanation = try CustomerExplanation.make(customer, config: config)
            #expect(explanation.features.map(\.code) == ["admin", "editor", "viewer"])
            for feature in explanation.features {
                #expect(feature.desired.count == feature.seated.count, "\(customer) \(feature.code)")
                #expect(
                    reasonFromListedUsers(feature, sources: ["hr", "directory", "hook"]) == feature.desired.why,
                    "\(customer) \(feature.code)"
                )
            }
        }
    }

    @Test func demoAcmeNamesEachUserWithFileLineAndTheUserCountedOnceAcrossSources() throws {
        // Input: config/demo, customer acme. Expected: editor lists bob (users.csv:3 and the editors group of
        // groups.ldif:33), dan and ivan; dan holds viewer too and is counted under editor, not under viewer.
        let explanation = try CustomerExplanation.make("acme", config: try demoConfig())
        let editor = try #require(explanation.features.first { $0.code == "editor" })
        #expect(editor.desired.why == "3 users (hr 2, directory 2; 1 in both)")
        #expect(editor.seated.map(\.id) == ["bob@acme.example", "dan@acme.example", "ivan@acme.example"])
        let bob = editor.seated[0]
        #expect(bob.sources == ["hr", "directory"])
        #expect(
            bob.grants.map { "\($0.source) \(URL(fileURLWithPath: $0.at.file).lastPathComponent):\($0.at.line)" } == [
                "hr users.csv:3", "directory groups.ldif:33",
            ]
        )
        #expect(bob.grants[1].at.detail == "cn=editors,ou=groups,o=acme,dc=example,dc=com")
        let viewer = try #require(explanation.features.first { $0.code == "viewer" })
        #expect(viewer.seated.map(\.id) == ["carol@acme.example"])
        #expect(viewer.seatedElsewhere.map(\.id) == ["dan@acme.example"])
        #expect(viewer.seatedElsewhere.first?.seatedUnder == ["editor"])
        #expect(explanation.notCounted.isEmpty)
    }

    @Test func demoNotCountedNamesTheUnmappedRoleAndTheInactiveEntry() throws {
        // Input: config/demo: globex's grace has role Contractor (no mapping), initech's mike is "active": false.
        // Expected: each listed as not counted with that reason and the row or snapshot entry.
        let config = try demoConfig()
        let globex = try CustomerExplanation.make("globex", config: config)
        #expect(globex.notCounted.map(\.id) == ["grace@globex.example"])
        #expect(globex.notCounted.first?.reason == .noMappedRole("Contractor"))
        #expect(globex.notCounted.first?.at?.line == 8)
        let initech = try CustomerExplanation.make("initech", config: config)
        #expect(initech.notCounted.map(\.id) == ["mike@initech.example"])
        #expect(initech.notCounted.first?.reason == .inactive)
        #expect(initech.notCounted.first?.at?.detail == "customers[0].users[1]")
    }

    @Test func unknownCustomerNamesTheClosestCustomersTheSourcesHave() throws {
        // Input: config/demo, customer "acmee". Expected: ExplainError naming acme first.
        #expect(throws: ExplainError.unknownCustomer("acmee", closest: ["acme", "globex", "initech"])) {
            try CustomerExplanation.make("acmee", config: try demoConfig())
        }
    }

    @Test func featureOptionExplainsOneCodeAndRefusesACodeTheCustomerLacks() throws {
        // Input: config/demo acme with feature viewer, then with feature seo. Expected: only viewer explained;
        // seo refused naming the codes acme has.
        let config = try demoConfig()
        let viewer = try CustomerExplanation.make("acme", feature: "viewer", config: config)
        #expect(viewer.features.map(\.code) == ["viewer"])
        #expect(throws: ExplainError.unknownFeature("seo", customer: "acme", known: ["admin", "editor", "viewer"])) {
            try CustomerExplanation.make("acme", feature: "seo", config: config)
        }
    }

    @Test func nestedLDIFGrantsNameThePathThroughNestedGroupsAndBackTheReason() throws {
        // Input: the FreeIPA export with editors > editors-emea > editors-emea-contractors (and a cycle back to
        // editors), viewers > editors-emea. Expected: cho is an editor through the path from the contractors group
        // up to editors; ben through editors-emea; the reasons are backed by the listed users.
        let folder = try TemporaryDirectory()
        let fixture = repositoryRoot + "/Tests/SeatSourcesTests/Fixtures/freeipa-nested.ldif"
        let config = try folder.write(
            "seat-sync.yaml",
            """
            state_dir: \(folder.path)/state
            policy:
              role_precedence: [admin, editor, viewer]
            sources:
              - name: ipa
                type: ldif
                path: \(fixture)
                customer: {attribute: businessCategory}
                groups: {admins: admin, editors: editor, viewers: viewer}

            """
        )
        let explanation = try CustomerExplanation.make(
            "umbrella",
            config: try ConfigLoader.load(path: config, environment: [:])
        )
        for feature in explanation.features {
            #expect(reasonFromListedUsers(feature, sources: ["ipa"]) == feature.desired.why, "\(feature.code)")
        }
        let editor = try #require(explanation.features.first { $0.code == "editor" })
        #expect(editor.seated.map(\.id) == ["ana", "ben", "cho"])
        let groups = ",cn=groups,cn=accounts,dc=ipa,dc=example,dc=com"
        #expect(
            editor.seated.map { $0.grants.first { $0.feature == "editor" }?.at.detail } == [
                "cn=editors\(groups)",
                "cn=editors-emea\(groups) -> cn=editors\(groups)",
                "cn=editors-emea-contractors\(groups) -> cn=editors-emea\(groups) -> cn=editors\(groups)",
            ]
        )
        let viewer = try #require(explanation.features.first { $0.code == "viewer" })
        #expect(viewer.seated.map(\.id) == ["dev"])
        #expect(Set(viewer.seatedElsewhere.map(\.id)) == ["ana", "ben", "cho"])
    }

    @Test func precountedCodeNamesTheRowItWasCountedOn() throws {
        // Input: a counts CSV whose line 3 gives acme 7 editor seats. Expected: editor explained as pre-counted
        // at that row, with no users listed, and the reason column saying so.
        let folder = try TemporaryDirectory()
        let counts = try folder.write("counts.csv", "customer,feature,count\nacme,viewer,2\nacme,editor,7\n")
        let config = try folder.write(
            "seat-sync.yaml",
            """
            state_dir: state
            sources:
              - name: billing
                type: csv
                path: counts.csv
                columns: {customer: customer, feature: feature, count: count}

            """
        )
        let explanation = try CustomerExplanation.make(
            "acme",
            feature: "editor",
            config: try ConfigLoader.load(path: config, environment: [:])
        )
        let editor = try #require(explanation.features.first)
        #expect(editor.desired == DesiredCount(count: 7, why: "counted 7 at counts.csv:3"))
        #expect(editor.precounted == FactOrigin(source: "billing", at: Provenance(file: counts, line: 3)))
        #expect(editor.seated.isEmpty && editor.seatedElsewhere.isEmpty)
        #expect(ExplainRenderer(explanation, limit: 200).text().contains("pre-counted by billing at \(counts):3\n"))
    }

    @Test func limitCapsTheListedUsersButNotTheTotals() throws {
        // Input: a CSV of five editors of one customer, rendered with limit 2. Expected: two users listed per
        // form, the text says 3 more, the JSON carries counted_total 5.
        let folder = try TemporaryDirectory()
        let rows = (1...5).map { "acme,user\($0)@acme.example,Editor" }.joined(separator: "\n")
        _ = try folder.write("users.csv", "customer,email,role\n\(rows)\n")
        let explanation = try CustomerExplanation.make("acme", config: try hrConfig(in: folder, path: "users.csv"))
        let renderer = ExplainRenderer(explanation, limit: 2)
        let text = renderer.text()
        #expect(text.contains("user2@acme.example"))
        #expect(!text.contains("user3@acme.example"))
        #expect(text.contains("… 3 more (--limit 2)"))
        let json = try #require(
            try JSONSerialization.jsonObject(with: Data(renderer.json().utf8)) as? [String: Any]
        )
        let feature = try #require((json["features"] as? [[String: Any]])?.first)
        #expect(feature["counted_total"] as? Int == 5)
        #expect((feature["counted"] as? [Any])?.count == 2)
    }

    @Test func balancesGiveTheDeltaAndNameCodesOffThePlan() throws {
        // Input: config/demo acme, Commet balances editor 5 and seo 2 (no viewer, no admin). Expected: editor
        // delta -2, viewer and admin not on the plan, seo a balance no source manages.
        var explanation = try CustomerExplanation.make("acme", config: try demoConfig())
        explanation.add(balances: ["editor": 5, "seo": 2])
        let text = ExplainRenderer(explanation, limit: 200).text()
        #expect(text.contains("editor: 3 seats, 3 users (hr 2, directory 2; 1 in both); Commet holds 5, delta -2\n"))
        #expect(text.contains("viewer: 1 seat, 1 user (hr); 1 counted under editor; not on the customer's plan"))
        #expect(text.contains("seo: Commet holds 2; no source or mapping manages this code"))
    }

    @Test func controlCharactersInAFileNameAreEscapedInTheText() throws {
        // Input: a CSV source whose file name holds an ESC sequence (readers refuse control characters in ids,
        // but a path is the operator's). Expected: the text shows it as \u{1b}, never as a raw ESC.
        let folder = try TemporaryDirectory()
        _ = try folder.write("users\u{1b}[2J.csv", "customer,email,role\nacme,a@acme.example,Editor\n")
        let config = try hrConfig(in: folder, path: #""users\e[2J.csv""#)
        let explanation = try CustomerExplanation.make("acme", config: config)
        let text = ExplainRenderer(explanation, limit: 200).text()
        #expect(text.contains("users\\u{1b}[2J.csv:2"))
        #expect(!text.contains("\u{1b}"))
    }
}
