import Foundation
import TestSupport
import Testing

@Suite struct CheckConfigEndToEndTests {
    @Test func demoConfigPrintsEachSourceAndTheMergedSeats() async throws {
        // Input: config/demo/seat-sync.yaml (a CSV, an LDIF and a JSON snapshot), COMMET_API_KEY set.
        // Expected: exit 0, per-source customers/users/seats, the merged desired seats, and never the key.
        let binary = try SeatSyncBinary.locate()
        let demo = repositoryRoot + "/config/demo"
        let run = try await binary.run(
            ["check-config", "--config", demo + "/seat-sync.yaml"],
            environment: ["COMMET_API_KEY": "ck_demo_secret_key"]
        )
        #expect(run.status == 0)
        #expect(run.stderr == "")
        #expect(
            run.stdout == """
                config \(demo)/seat-sync.yaml: valid, 3 sources
                api key: environment COMMET_API_KEY

                source hr (csv, \(demo)/users.csv): 2 customers, 8 users
                  customer  users  admin  editor  viewer
                  acme          4      1       2       1
                  globex        4      0       1       2
                  unmapped roles, ignored: Contractor (1)

                source directory (ldif, \(demo)/groups.ldif): 2 customers, 4 users
                  customer  users  admin  editor  viewer
                  acme          2      0       2       0
                  initech       2      1       0       1

                source hook (json, \(demo)/seats.json, sequence 1): 1 customer, 2 users
                  customer  users  admin  editor  viewer
                  initech       2      0       1       1

                desired seats, all sources merged: 3 customers, 11 seats
                  customer  admin  editor  viewer
                  acme          1       3       1
                  globex        0       1       2
                  initech       1       1       1

                """
        )
        #expect(!run.stdout.contains("ck_demo_secret_key"))
    }

    @Test func libcurlIsOpenedOnlyByTheChecksThatMakeACommetClient() async throws {
        // Input: the demo config, run with the dynamic loader reporting each library it opens (LD_DEBUG=files):
        // check-config --no-api-key, and check-config --for-reload with a key (it makes the daemon's client).
        // Expected: both exit 0; libcurl is opened by the second only, which keeps it out of the start of every
        // command that does not talk to Commet.
        let binary = try SeatSyncBinary.locate()
        let config = repositoryRoot + "/config/demo/seat-sync.yaml"
        let sources = try await binary.run(
            ["check-config", "--no-api-key", "--config", config],
            environment: ["LD_DEBUG": "files"]
        )
        #expect(sources.status == 0)
        #expect(sources.stderr.contains("file=libc.so.6"))
        #expect(!sources.stderr.contains("libcurl.so"))
        let reload = try await binary.run(
            ["check-config", "--for-reload", "--config", config],
            environment: ["LD_DEBUG": "files", "COMMET_API_KEY": "ck_demo_secret_key"]
        )
        #expect(reload.status == 0)
        #expect(reload.stderr.contains("file=libcurl.so.4"))
    }

    @Test func jsonOutputCarriesTheSameCountsUnderSnakeCaseKeys() async throws {
        // Input: the demo config with --output json. Expected: desired seats per customer and feature as numbers,
        // and every key the document itself names in snake_case (customer and feature names are data, kept as given).
        let binary = try SeatSyncBinary.locate()
        let run = try await binary.run(
            ["check-config", "--config", repositoryRoot + "/config/demo/seat-sync.yaml", "--output", "json"],
            environment: ["COMMET_API_KEY": "ck_demo_secret_key"]
        )
        #expect(run.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any])
        let desired = try #require(document["desired"] as? [String: Any])
        #expect(desired["seats"] as? Int == 11)
        let acme = try #require((desired["by_customer"] as? [String: Any])?["acme"] as? [String: [String: Any]])
        #expect(acme["editor"]?["count"] as? Int == 3)
        #expect(desired["managed_features"] as? [String] == ["admin", "editor", "viewer"])
        let sources = try #require(document["sources"] as? [[String: Any]])
        #expect(sources.map { $0["name"] as? String } == ["hr", "directory", "hook"])
        #expect((sources[0]["users_by_customer"] as? [String: Int]) == ["acme": 4, "globex": 4])
        #expect((sources[0]["unmapped_roles"] as? [String: Int]) == ["Contractor": 1])
        let apiKey = try #require(document["api_key"] as? [String: Any])
        #expect(apiKey["checked"] as? Bool == true)
        #expect(apiKey["origin"] as? String == "environment COMMET_API_KEY")
        #expect(Set(document.keys) == ["api_key", "config", "desired", "sources"])
        #expect(Set(desired.keys) == ["by_customer", "customers", "managed_features", "seats"])
        #expect(
            Set(sources[0].keys) == [
                "customers", "file", "name", "notes", "seats", "type", "unmapped_roles", "users", "users_by_customer",
            ]
        )
    }

    @Test func aMissingAPIKeyFailsTheCheckAndNamesWhereItLooked() async throws {
        // Input: the demo config (valid sources) with no key anywhere: no credential, no key file, no COMMET_API_KEY.
        // Expected: exit 1, nothing on stdout, one error line listing where the key was looked for and the flag
        // that checks the sources alone.
        let binary = try SeatSyncBinary.locate()
        let run = try await binary.run(["check-config", "--config", repositoryRoot + "/config/demo/seat-sync.yaml"])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        let lines = run.stderr.split(separator: "\n")
        #expect(lines.count == 1)
        #expect(run.stderr.hasPrefix("error: "))
        #expect(run.stderr.contains("environment COMMET_API_KEY (not set)"))
        #expect(run.stderr.contains("--no-api-key checks the config and the sources alone"))
    }

    @Test func anUnreadableAPIKeyFileFailsTheCheckNamingTheFile() async throws {
        // Input: the demo config with COMMET_API_KEY_FILE naming a file that does not exist (the operator's trap:
        // check-config used to say "valid" and exit 0 here). Expected: exit 1 and an error naming that file.
        let binary = try SeatSyncBinary.locate()
        let folder = try TemporaryDirectory()
        let keyFile = folder.path + "/commet-api-key"
        let run = try await binary.run(
            ["check-config", "--config", repositoryRoot + "/config/demo/seat-sync.yaml"],
            environment: ["COMMET_API_KEY_FILE": keyFile]
        )
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr.hasPrefix("error: "))
        #expect(run.stderr.contains(keyFile))
        #expect(run.stderr.contains("No such file or directory"))
    }

    @Test func noAPIKeyChecksTheSourcesAloneAndSaysTheKeyWasNotChecked() async throws {
        // Input: the demo config, no key anywhere, --no-api-key, text and JSON.
        // Expected: exit 0 both times; the text says the key was not checked, the JSON has api_key.checked false.
        let binary = try SeatSyncBinary.locate()
        let config = repositoryRoot + "/config/demo/seat-sync.yaml"
        let text = try await binary.run(["check-config", "--no-api-key", "--config", config])
        #expect(text.status == 0)
        #expect(text.stderr == "")
        #expect(text.stdout.split(separator: "\n").dropFirst().first == "api key: not checked (--no-api-key)")
        let json = try await binary.run(["check-config", "--no-api-key", "--config", config, "--output", "json"])
        #expect(json.status == 0)
        let document = try #require(try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any])
        #expect((document["api_key"] as? [String: Any])?["checked"] as? Bool == false)
    }

    @Test func brokenConfigExitsOneNamingFileAndLine() async throws {
        // Input: a config whose line 3 misspells `timeout`. Expected: exit 1 and that one line on stderr.
        let binary = try SeatSyncBinary.locate()
        let folder = try TemporaryDirectory()
        let config = try folder.write(
            "seat-sync.yaml",
            "commet:\n  base_url: https://commet.co/api/v1\n  tiemout: 30s\nsources:\n  - {name: hr, type: csv, path: u.csv}\n"
        )
        let run = try await binary.run(["check-config", "--config", config])
        #expect(run.status == 1)
        #expect(run.stdout == "")
        #expect(run.stderr == "error: \(config):3: commet.tiemout: unknown key; did you mean \"timeout\"?\n")
    }

    @Test func brokenSourceExitsOneNamingTheSourceFileAndLine() async throws {
        // Input: a valid config whose CSV ends inside a quoted field (a half-written export).
        // Expected: exit 1; the error names the source, the file and the line where the record starts.
        let binary = try SeatSyncBinary.locate()
        let folder = try TemporaryDirectory()
        let config = try folder.write("seat-sync.yaml", "sources:\n  - {name: hr, type: csv, path: users.csv}\n")
        let csv = try folder.write("users.csv", "customer,user,role\nacme,a@x,editor\nacme,\"b@x,viewer\n")
        let run = try await binary.run(["check-config", "--config", config])
        #expect(run.status == 1)
        #expect(run.stderr == "error: source hr: \(csv):3:6: unterminated quoted field\n")
    }

    @Test func configComesFromSeatSyncConfigWhenNoFlagIsGiven() async throws {
        // Input: SEAT_SYNC_CONFIG naming a config that points at a missing file. Expected: that config is used.
        let binary = try SeatSyncBinary.locate()
        let folder = try TemporaryDirectory()
        let config = try folder.write("seat-sync.yaml", "sources:\n  - {name: hr, type: csv, path: gone.csv}\n")
        let run = try await binary.run(["check-config"], environment: ["SEAT_SYNC_CONFIG": config])
        #expect(run.status == 1)
        #expect(run.stderr == "error: source hr: \(folder.path)/gone.csv: cannot open: No such file or directory\n")
    }

    @Test func usageErrorsExitSixtyFour() async throws {
        let binary = try SeatSyncBinary.locate()
        let run = try await binary.run(["check-config", "--no-such-flag"])
        #expect(run.status == 64)
    }

    @Test func versionIsPrinted() async throws {
        let binary = try SeatSyncBinary.locate()
        let run = try await binary.run(["--version"])
        #expect(run.status == 0)
        #expect(run.stdout.split(separator: ".").count == 3)
    }
}
