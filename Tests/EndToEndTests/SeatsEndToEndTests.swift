import CommetFake
import Foundation
import TestSupport
import Testing

@Suite struct SeatsEndToEndTests {
    @Test func setAllChangesTheFakesBalancesAndNeverShowsTheKey() async throws {
        // Input: acme with editor=1, viewer=1; `seats set-all --customer acme editor=3 viewer=10`.
        // Expected: exit 0; the fake now holds 3 and 10 after one setAll; one line per code and the request id;
        // the key in neither stdout nor stderr.
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["editor": 1, "viewer": 1])

        let run = try await setup.seats(["set-all", "--customer", "acme", "editor=3", "viewer=10"])
        #expect(run.status == 0)
        #expect(setup.fake.balances(of: "acme") == ["editor": 3, "viewer": 10])
        let writes = setup.fake.ledger.filter { $0.route == .setAll }
        #expect(writes.count == 1)
        let requestID = try #require(writes.first?.requestID)
        #expect(run.stdout == "acme editor: 1 -> 3\nacme viewer: 1 -> 10\nrequest_id=\(requestID)\n")
        #expect(!run.stdout.contains(SeatsSetup.key))
        #expect(!run.stderr.contains(SeatsSetup.key))
    }

    @Test(
        arguments: [
            (["balances", "--customer", "acme"], Route.balances),
            (["set-all", "--customer", "acme", "editor=3"], Route.setAll),
        ],
        ["text", "json"]
    )
    func aKeyEchoedAsTheRequestIDIsNeverPrinted(command: ([String], Route), output: String) async throws {
        // Input: a server that sends the request's x-api-key back as its x-request-id, on the command's route;
        // the command in text and in JSON. Expected: exit 0, the request id printed as [REDACTED] by the same
        // redaction `--once` uses, and the key in neither stdout nor stderr.
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["editor": 1])
        setup.fake.inject([.echoAPIKeyAsRequestID], on: command.1)

        let run = try await setup.seats(command.0 + ["--output", output])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(run.stdout.contains("[REDACTED]"), "\(run.stdout)")
        #expect(!run.stdout.contains(SeatsSetup.key), "\(run.stdout)")
        #expect(!run.stderr.contains(SeatsSetup.key))
    }

    @Test func balancesPrintsEveryFeatureOnThePlan() async throws {
        // Input: acme with admin=0, editor=3, viewer=10. Expected: a table of the three, sorted, and the request id.
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["admin": 0, "editor": 3, "viewer": 10])

        let run = try await setup.seats(["balances", "--customer", "acme"])
        #expect(run.status == 0)
        let requestID = try #require(setup.fake.ledger.last?.requestID)
        #expect(
            run.stdout == """
                customer acme
                  feature  current
                  admin          0
                  editor         3
                  viewer        10
                request_id=\(requestID)

                """
        )
        #expect(!run.stderr.contains(SeatsSetup.key))
    }

    @Test func singleFeatureOperationsWriteThroughTheFake() async throws {
        // Input: add 2 editors, remove 1 viewer, set admin to 1 (as JSON), then read the editor balance as JSON.
        // Expected: each exits 0 and the fake's balances follow; a given idempotency key reaches Commet; the JSON
        // keys are snake_case, as in every JSON the CLI prints.
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["admin": 0, "editor": 1, "viewer": 4])

        let add = try await setup.seats(
            ["add", "--customer", "acme", "--feature", "editor", "--count", "2", "--idempotency-key", "fix-4711"]
        )
        #expect(add.status == 0)
        #expect(add.stdout.hasPrefix("acme editor: 1 -> 3\n"))
        #expect(setup.fake.ledger.last?.idempotencyKey == "fix-4711")
        let remove = try await setup.seats(["remove", "--customer", "acme", "--feature", "viewer", "--count", "1"])
        #expect(remove.status == 0)
        #expect(remove.stdout.hasPrefix("acme viewer: 4 -> 3\n"))
        let set = try await setup.seats([
            "set", "--customer", "acme", "--feature", "admin", "--count", "1", "--output", "json",
        ])
        #expect(set.status == 0)
        #expect(setup.fake.balances(of: "acme") == ["admin": 1, "editor": 3, "viewer": 3])
        let written = try JSONSerialization.jsonObject(with: Data(set.stdout.utf8)) as? [String: Any]
        #expect(written?["request_id"] as? String == setup.fake.ledger.last?.requestID)
        let event = (written?["events"] as? [[String: Any]])?.first
        #expect(
            Set(event?.keys.map { $0 } ?? []) == [
                "id", "customer_id", "feature_code", "previous_balance", "new_balance",
            ]
        )
        #expect(event?["new_balance"] as? Int == 1)

        let balance = try await setup.seats([
            "balance", "--customer", "acme", "--feature", "editor", "--output", "json",
        ])
        #expect(balance.status == 0)
        let document = try JSONSerialization.jsonObject(with: Data(balance.stdout.utf8)) as? [String: Any]
        let editor = (document?["balances"] as? [String: [String: Any]])?["editor"]
        #expect(editor?["current"] as? Int == 3)
        #expect(editor?["as_of"] is String)
        #expect(Set(document?.keys.map { $0 } ?? []) == ["balances", "customer", "request_id"])
        for run in [add, remove, set, balance] { #expect(!(run.stdout + run.stderr).contains(SeatsSetup.key)) }
    }

    @Test func commetErrorExitsOneWithTheErrorLineAndRequestID() async throws {
        // Input: balances of a customer the fake does not know. Expected: exit 1, Commet's code and request id.
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        let run = try await setup.seats(["balances", "--customer", "nobody"])
        #expect(run.status == 1)
        let requestID = try #require(setup.fake.ledger.last?.requestID)
        let errorLine = try #require(run.stderr.split(separator: "\n").last { $0.hasPrefix("error: ") })
        #expect(errorLine.contains("customer_not_found"))
        #expect(errorLine.contains(requestID))
        #expect(!run.stderr.contains(SeatsSetup.key))
    }

    @Test func wrongKeyIsRefusedAndStillNeverPrinted() async throws {
        // Input: a key the fake does not accept. Expected: exit 1 with unauthorized; the wrong key is not printed.
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["editor": 1])
        let wrong = "ck_wrong_key_Secret_1234"
        let run = try await setup.seats(["balances", "--customer", "acme"], environment: ["COMMET_API_KEY": wrong])
        #expect(run.status == 1)
        #expect(run.stderr.contains("unauthorized"))
        #expect(!(run.stdout + run.stderr).contains(wrong))
    }

    @Test func keyFromAKeyFileOthersCanReadWorksWithAWarning() async throws {
        // Input: COMMET_API_KEY_FILE naming a 0644 file holding the key. Expected: exit 0, and a warning log line
        // naming the file on stderr, without the key.
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        setup.fake.addCustomer("acme", plan: ["editor": 1])
        let keyFile = try setup.folder.write("api-key", SeatsSetup.key + "\n")
        chmod(keyFile, 0o644)
        let run = try await setup.seats(
            ["balances", "--customer", "acme"],
            environment: ["COMMET_API_KEY_FILE": keyFile]
        )
        #expect(run.status == 0)
        #expect(run.stderr.contains("level=warning"))
        #expect(run.stderr.contains(keyFile))
        #expect(!run.stderr.contains(SeatsSetup.key))
    }

    @Test func noKeyExitsOneSayingWhereItLooked() async throws {
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        let run = try await setup.seats(["balances", "--customer", "acme"], environment: [:])
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: no Commet API key found (looked in: "))
        #expect(setup.fake.ledger.isEmpty)
    }

    @Test(arguments: [
        ["set-all", "--customer", "acme"],
        ["set-all", "--customer", "acme", "editor=3", "editor=4"],
        ["set-all", "--customer", "acme", "editor=-1"],
        ["add", "--customer", "acme", "--feature", "editor", "--count", "-2"],
        ["balance", "--customer", "acme"],
    ])
    func badArgumentsExitSixtyFourWithoutARequest(arguments: [String]) async throws {
        let setup = try SeatsSetup()
        defer { setup.fake.stop() }
        let run = try await setup.seats(arguments)
        #expect(run.status == 64)
        #expect(setup.fake.ledger.isEmpty)
    }
}
