import CommetFake
import Foundation
import TestSupport
import Testing

@Suite struct ExplainEndToEndTests {
    @Test func demoCustomerListsEveryUserWithWhereTheSourcesNameThem() async throws {
        // Input: `explain acme` over config/demo, no API key (explain reads no balances without --balances).
        // Expected: exit 0; per code the reason column, then each counted user with file:line (and the group DN
        // for LDIF); dan, who also holds viewer, listed under viewer as counted under editor.
        let demo = repositoryRoot + "/config/demo"
        let run = try await SeatSyncBinary.locate().run(["explain", "acme", "--config", demo + "/seat-sync.yaml"])
        #expect(run.status == 0)
        #expect(run.stderr == "")
        let editors = "cn=editors,ou=groups,o=acme,dc=example,dc=com"
        #expect(
            run.stdout == """
                customer acme

                admin: 1 seat, 1 user (hr)
                  counted: 1 (hr 1)
                    alice@acme.example  hr \(demo)/users.csv:2

                editor: 3 seats, 3 users (hr 2, directory 2; 1 in both)
                  counted: 3 (hr 2, directory 2; 1 listed by more than one source, counted once)
                    bob@acme.example  hr \(demo)/users.csv:3; directory \(demo)/groups.ldif:33 (\(editors))
                    dan@acme.example  hr \(demo)/users.csv:5
                    ivan@acme.example  directory \(demo)/groups.ldif:33 (\(editors))

                viewer: 1 seat, 1 user (hr); 1 counted under editor
                  counted: 1 (hr 1)
                    carol@acme.example  hr \(demo)/users.csv:4
                  not counted here, seated under a code of higher role_precedence: 1
                    dan@acme.example  counted under editor; hr \(demo)/users.csv:5

                """
        )
    }

    @Test func unknownCustomerExitsOneNamingTheClosestCustomers() async throws {
        // Input: `explain acmee` over config/demo. Expected: exit 1, nothing on stdout, one error line naming
        // the customers the sources have, closest first.
        let run = try await SeatSyncBinary.locate().run(
            ["explain", "acmee", "--config", repositoryRoot + "/config/demo/seat-sync.yaml"]
        )
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(
            run.stderr
                == "error: no source names customer \"acmee\"; the closest the sources name: \"acme\", \"globex\", \"initech\"\n"
        )
    }

    @Test func balancesReadOnceGiveTheDeltaInJSONAndWriteNothing() async throws {
        // Input: the demo's sources, a fake Commet where acme's plan holds editor 5 and seo 2 only;
        // `explain acme --balances --output json`. Expected: exit 0; editor desired 3, current 5, delta -2;
        // viewer not on the plan; seo a balance no source manages; the fake saw one balances read and no write.
        let key = "ck_test_explain_Secret_1a2b3c"
        let fake = try FakeCommet(apiKey: key)
        defer { fake.stop() }
        fake.addCustomer("acme", plan: ["editor": 5, "seo": 2])
        let folder = try TemporaryDirectory()
        let demo = repositoryRoot + "/config/demo"
        let config = try folder.write(
            "seat-sync.yaml",
            """
            commet:
              base_url: \(fake.baseURL)
              max_retries: 1
            state_dir: \(folder.path)/state
            policy:
              role_precedence: [admin, editor, viewer]
            sources:
              - name: hr
                type: csv
                path: \(demo)/users.csv
                columns: {customer: customer, user: email, role: role}
                role_separator: "|"
                roles: {Owner: admin, Editor: editor, Viewer: viewer}

            """
        )
        let run = try await SeatSyncBinary.locate().run(
            ["explain", "acme", "--balances", "--output", "json", "--config", config],
            environment: ["COMMET_API_KEY": key]
        )
        #expect(run.status == 0, "\(run.stderr)")
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        #expect(document["format"] as? String == "seat-sync-explain")
        #expect(document["balances_read"] as? Bool == true)
        let features = try #require(document["features"] as? [[String: Any]])
        let editor = try #require(features.first { $0["code"] as? String == "editor" })
        #expect(editor["desired"] as? Int == 2)
        #expect(editor["current"] as? Int == 5)
        #expect(editor["delta"] as? Int == -3)
        #expect(editor["on_plan"] as? Bool == true)
        let viewer = try #require(features.first { $0["code"] as? String == "viewer" })
        #expect(viewer["on_plan"] as? Bool == false)
        let unmanaged = try #require(document["unmanaged_balances"] as? [[String: Any]])
        #expect(unmanaged.map { $0["code"] as? String } == ["seo"])
        #expect(fake.ledger.map(\.route) == [.balances])
        #expect(!run.stdout.contains(key) && !run.stderr.contains(key))
    }
}
