import CommetSeats
import Foundation
import SeatSources
import TestSupport
import Testing

@testable import SeatSync

/// A config file written into a fresh folder, loaded the way the program loads it.
private struct ConfigFixture {
    let folder: TemporaryDirectory
    var path: String { folder.path + "/seat-sync.yaml" }

    init(_ yaml: String) throws {
        folder = try TemporaryDirectory()
        try Data(yaml.utf8).write(to: URL(fileURLWithPath: path))
    }

    func load(environment: [String: String] = [:]) throws(ConfigError) -> SeatSyncConfig {
        try ConfigLoader.load(path: path, environment: environment)
    }

    /// The error loading fails with, as the one line the operator reads.
    func failure(environment: [String: String] = [:]) -> String? {
        do {
            _ = try load(environment: environment)
            return nil
        } catch {
            return error.description
        }
    }

    func write(_ name: String, _ text: String) throws {
        try Data(text.utf8).write(to: URL(fileURLWithPath: folder.path + "/" + name))
    }
}

private let oneSource = """
    sources:
      - name: hr
        type: csv
        path: users.csv
    """

@Suite struct ConfigLoaderTests {
    @Test func everyKeyIsRead() throws {
        // Input: a config setting every key to a value other than its default.
        // Expected: each value in its place, relative paths under the config's folder.
        let fixture = try ConfigFixture(
            """
            commet:
              base_url: https://billing.example.com/api/v1/
              api_key_file: secrets/api-key
              timeout: 45s
              connect_timeout: 2s
              max_retries: 5
              retry_base_delay: 250ms
              retry_max_delay: 2s
              requests_per_second: 2.5
              concurrency: 8
              ca_bundle: /etc/ssl/proxy.pem
              proxy: http://proxy.example:3128
            schedule:
              interval: 1h30m
              jitter: 250ms
              debounce: 100ms
              stop_grace: 5s
              pass_timeout: 20m
            policy:
              absent_features: zero
              role_precedence: [owner, editor]
              every_role_takes_a_seat: true
              zero_customers: [gone-corp, old-inc]
              guard:
                max_removed_fraction: 0.25
                max_removed_seats: 7
                max_customer_removed_fraction: 1
            state_dir: state
            sources:
              - name: hr
                type: csv
                path: inbox/users.csv
                columns: {customer: Company, user: Email Address, role: Role}
                delimiter: tab
                role_separator: "|"
                roles: {Editor: editor, Owner: owner}
                customers: {ACME Corp: acme}
                max_age: 24h
                allow_empty: true
              - name: counts
                type: csv
                path: /srv/counts.csv
                columns: {customer: account, feature: seat_type, count: seats}
                delimiter: ";"
              - name: directory
                type: ldif
                path: groups.ldif
                customer: {attribute: businessCategory}
                groups: {Editors: editor, viewers: viewer}
                user_id_attribute: mail
              - name: hook
                type: json
                path: seats.json
                roles: {Admin: owner}
                max_age: 10m
            """
        )
        let config = try fixture.load()
        let folder = fixture.folder.path
        #expect(config.file == fixture.path)
        #expect(
            config.commet
                == CommetSettings(
                    baseURL: "https://billing.example.com/api/v1",
                    apiKeyFile: folder + "/secrets/api-key",
                    timeout: .seconds(45),
                    connectTimeout: .seconds(2),
                    maxRetries: 5,
                    retryBaseDelay: .milliseconds(250),
                    retryMaxDelay: .seconds(2),
                    requestsPerSecond: 2.5,
                    concurrency: 8,
                    caBundle: "/etc/ssl/proxy.pem",
                    proxy: "http://proxy.example:3128"
                )
        )
        #expect(
            config.schedule
                == ScheduleSettings(
                    interval: .seconds(5_400),
                    jitter: .milliseconds(250),
                    debounce: .milliseconds(100),
                    stopGrace: .seconds(5),
                    passTimeout: .seconds(1_200)
                )
        )
        #expect(
            config.policy
                == PlanPolicy(
                    absentFeatures: .zero,
                    guardLimits: GuardLimits(
                        maxRemovedFraction: 0.25,
                        maxRemovedSeats: 7,
                        maxCustomerRemovedFraction: 1
                    ),
                    zeroCustomers: ["gone-corp", "old-inc"]
                )
        )
        #expect(
            config.merge
                == MergePolicy(
                    rolePrecedence: ["owner", "editor"],
                    everyRoleTakesASeat: true,
                    mappedFeatures: ["editor", "owner", "viewer"]
                )
        )
        #expect(config.stateDirectory == folder + "/state")

        let definitions = config.sourceDefinitions
        #expect(definitions.map(\.settings.name) == ["hr", "counts", "directory", "hook"])
        #expect(definitions.map(\.type) == ["csv", "csv", "ldif", "json"])
        #expect(
            definitions[0].settings
                == SourceSettings(
                    name: "hr",
                    path: folder + "/inbox/users.csv",
                    maxAge: .seconds(86_400),
                    allowEmpty: true
                )
        )
        guard case .csv(let hr) = definitions[0].format, case .csv(let counts) = definitions[1].format,
            case .ldif(let directory) = definitions[2].format, case .json(let hook) = definitions[3].format
        else {
            Issue.record("source formats out of order")
            return
        }
        #expect(
            hr
                == CSVOptions(
                    columns: .users(customer: "Company", user: "Email Address", role: "Role"),
                    delimiter: UInt8(ascii: "\t"),
                    roleSeparator: "|",
                    roles: ["Editor": "editor", "Owner": "owner"],
                    customers: ["ACME Corp": "acme"]
                )
        )
        #expect(definitions[1].settings.path == "/srv/counts.csv")
        #expect(
            counts
                == CSVOptions(
                    columns: .counts(customer: "account", feature: "seat_type", count: "seats"),
                    delimiter: UInt8(ascii: ";")
                )
        )
        #expect(
            directory
                == LDIFOptions(
                    customer: .attribute("businessCategory"),
                    groups: ["Editors": "editor", "viewers": "viewer"],
                    userIDAttribute: "mail"
                )
        )
        #expect(hook == SnapshotOptions(roles: ["Admin": "owner"]))
        #expect(definitions[3].settings.maxAge == .seconds(600))
        #expect(config.sources(lastAppliedSequences: [:]).count == 4)
        #expect(
            config.commet.clientConfiguration(apiKey: APIKey("ck_test")).retry
                == RetryPolicy(maxRetries: 5, baseDelay: .milliseconds(250), maxDelay: .seconds(2))
        )
    }

    @Test func defaultsAreDesignsDefaults() throws {
        // Input: only one CSV source. Expected: the defaults config/seat-sync.example.yaml documents, everywhere.
        let config = try ConfigFixture(oneSource).load()
        #expect(config.commet == CommetSettings())
        #expect(config.commet.baseURL == "https://commet.co/api/v1")
        #expect(config.commet.timeout == .seconds(30))
        #expect(config.commet.connectTimeout == .seconds(10))
        #expect(config.commet.maxRetries == 3)
        #expect(config.commet.retryBaseDelay == .seconds(1))
        #expect(config.commet.retryMaxDelay == .seconds(8))
        #expect(config.commet.requestsPerSecond == 10)
        #expect(config.commet.concurrency == 4)
        #expect(config.commet.apiKeyFile == nil)
        #expect(config.commet.caBundle == nil)
        #expect(config.commet.proxy == nil)
        #expect(
            config.schedule
                == ScheduleSettings(
                    interval: .seconds(300),
                    jitter: .seconds(30),
                    debounce: .seconds(2),
                    stopGrace: .seconds(30),
                    passTimeout: .seconds(3_600)
                )
        )
        #expect(config.policy == PlanPolicy(absentFeatures: .keep, guardLimits: GuardLimits(), zeroCustomers: []))
        #expect(
            config.policy.guardLimits
                == GuardLimits(maxRemovedFraction: 0.10, maxRemovedSeats: 50, maxCustomerRemovedFraction: 0.5)
        )
        #expect(config.merge == MergePolicy(rolePrecedence: ["admin", "editor", "viewer"], mappedFeatures: []))
        #expect(config.stateDirectory == "/var/lib/seat-sync")
        guard case .csv(let options) = config.sourceDefinitions[0].format else {
            Issue.record("not a CSV source")
            return
        }
        #expect(options == CSVOptions(columns: .users(customer: "customer", user: "user", role: "role")))
        #expect(config.sourceDefinitions[0].settings.maxAge == nil)
        #expect(config.sourceDefinitions[0].settings.allowEmpty == false)
    }

    @Test func exampleConfigLoadsAndDocumentsTheDefaults() throws {
        // Input: config/seat-sync.example.yaml from the repository.
        // Expected: it loads, and the values it shows are the defaults (apart from the example key file).
        let example = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/seat-sync.example.yaml").path
        let config = try ConfigLoader.load(path: example, environment: [:])
        var commet = config.commet
        #expect(commet.apiKeyFile == "/etc/seat-sync/commet-api-key")
        commet.apiKeyFile = nil
        #expect(commet == CommetSettings())
        #expect(config.schedule == ScheduleSettings())
        #expect(config.policy == PlanPolicy())
        #expect(config.merge.rolePrecedence == ["admin", "editor", "viewer"])
        #expect(config.merge.everyRoleTakesASeat == false)
        #expect(config.stateDirectory == "/var/lib/seat-sync")
        #expect(Set(config.sourceDefinitions.map(\.type)) == ["csv", "ldif", "json"])
    }

    @Test func theFingerprintStaysTheSameAcrossReleases() throws {
        // Input: a config with every kind of YAML scalar the keys take (whole numbers, a decimal, true/false,
        // durations, quoted and plain text, `~`, lists, nested mappings, a name that looks like a number).
        // Expected: the fingerprint the releases before this one computed. A different value would make every
        // upgraded daemon drop what its earlier passes confirmed, as if the operator had changed a mapping.
        let fixture = try ConfigFixture(
            """
            commet:
              base_url: "https://billing.example.com/api/v1/"
              timeout: 45s
              max_retries: 5
              requests_per_second: 2.5
              ca_bundle: ~
            policy:
              absent_features: zero
              role_precedence: [admin, editor, '0042']
              every_role_takes_a_seat: yes
              guard:
                max_removed_seats: 10
            sources:
              - name: hr
                type: csv
                path: users.csv
                allow_empty: true
                roles: {Editor: editor, 1: viewer}
            """
        )
        let fingerprint = try fixture.load().fingerprint
        #expect(fingerprint == "0019f4f37d9690b0")
    }

    @Test func exampleConfigAndUnitNameTheSameKeyFile() throws {
        // Input: config/seat-sync.example.yaml and systemd/seat-sync.service from the repository.
        // Expected: the unit hands over, as the credential seat-sync looks for, the very file the example config
        // names as api_key_file, so an operator following either creates one file.
        let root = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        let config = try ConfigLoader.load(
            path: root.appendingPathComponent("config/seat-sync.example.yaml").path,
            environment: [:]
        )
        let unit = try String(contentsOf: root.appendingPathComponent("systemd/seat-sync.service"), encoding: .utf8)
        let credentials = unit.split(separator: "\n").filter { $0.hasPrefix("LoadCredential=") }
        #expect(credentials == ["LoadCredential=\(APIKeyLoader.credentialName):\(config.commet.apiKeyFile ?? "")"])
    }

    @Test func environmentOverridesTheDeploySpecificKeys() throws {
        // Input: a config with base_url, api_key_file and state_dir, and all three override variables.
        // Expected: the environment's values, used as given.
        let fixture = try ConfigFixture(
            """
            commet:
              base_url: https://commet.co/api/v1
              api_key_file: key
            state_dir: state
            \(oneSource)
            """
        )
        let config = try fixture.load(environment: [
            "COMMET_BASE_URL": "http://127.0.0.1:8787/api/v1",
            "COMMET_API_KEY_FILE": "/run/keys/commet",
            "SEAT_SYNC_STATE_DIR": "/tmp/state",
        ])
        #expect(config.commet.baseURL == "http://127.0.0.1:8787/api/v1")
        #expect(config.commet.apiKeyFile == "/run/keys/commet")
        #expect(config.stateDirectory == "/tmp/state")

        let unset = try fixture.load(environment: ["COMMET_BASE_URL": "", "SEAT_SYNC_STATE_DIR": ""])
        #expect(unset.commet.baseURL == "https://commet.co/api/v1")
        #expect(unset.stateDirectory == fixture.folder.path + "/state")
    }

    @Test(
        "check-config and run agree on a base URL: what the client refuses, the config refuses",
        arguments: [
            ("http://127.evil.com/api/v1", "plain http is only allowed to a loopback host"),
            ("https://user:pw@commet.co/api/v1", "must not carry credentials"),
            ("https://commet.co/api/v1?x=1", "must not have a query or fragment"),
            ("https://commet.co:99999/api/v1", "port 99999 is invalid"),
        ]
    )
    func baseURLsTheClientRefusesAreRefusedByTheConfig(url: String, reason: String) throws {
        // Input: each URL a review found the config accepting while the client refused it.
        // Expected: the config refuses it, with the client's own reason.
        let fixture = try ConfigFixture("commet:\n  base_url: \(url)\n" + oneSource)
        let failure = fixture.failure() ?? "accepted"
        #expect(failure.contains("commet.base_url: \(reason)"), "\(failure)")
    }

    @Test func environmentBaseURLIsValidatedLikeTheFile() throws {
        let fixture = try ConfigFixture(oneSource)
        #expect(
            fixture.failure(environment: ["COMMET_BASE_URL": "http://commet.co/api/v1"])
                == "environment COMMET_BASE_URL: plain http is only allowed to a loopback host "
                + "(127.0.0.0/8, ::1, localhost), not commet.co, found \"http://commet.co/api/v1\""
        )
    }

    @Test func snapshotSourcesAreRebuiltWithTheLastAppliedSequence() throws {
        // Input: a JSON snapshot with sequence 3; the state says 5 was applied last.
        // Expected: the plain sources read it; the rebuilt ones refuse it as a replay.
        let fixture = try ConfigFixture(
            """
            sources:
              - name: hook
                type: json
                path: seats.json
            """
        )
        try fixture.write(
            "seats.json",
            #"{"format":"seat-snapshot","version":1,"generated_at":"2026-11-25T12:00:00Z","sequence":3,"#
                + #""customers":[{"customer":"acme","counts":{"editor":2}}]}"#
        )
        let config = try fixture.load()
        #expect(try config.sources(lastAppliedSequences: [:])[0].read(now: Date()).sequence == 3)
        let rebuilt = config.sources(lastAppliedSequences: ["hook": 5])
        #expect(throws: (any Error).self) { try rebuilt[0].read(now: Date()) }
        #expect(try config.sources(lastAppliedSequences: ["hook": 3])[0].read(now: Date()).sequence == 3)
    }

    @Test func relativeSourcePathsFollowTheConfigNotTheWorkingDirectory() throws {
        // Input: a config naming users.csv relatively, loaded by its absolute path from another directory.
        // Expected: the source reads the file next to the config.
        let fixture = try ConfigFixture(oneSource)
        try fixture.write("users.csv", "customer,user,role\nacme,a@x,editor\n")
        let config = try fixture.load()
        #expect(config.sourceDefinitions[0].settings.path == fixture.folder.path + "/users.csv")
        let reading = try config.sources(lastAppliedSequences: [:])[0].read(now: Date())
        #expect(reading.customers["acme"]?.users.count == 1)
    }

    @Test(arguments: [
        // (YAML, expected "line: key: problem" after the file name)
        ("commet:\n  tiemout: 30s\n", "2: commet.tiemout: unknown key; did you mean \"timeout\"?"),
        ("comet:\n  timeout: 30s\n", "1: comet: unknown key; did you mean \"commet\"?"),
        (
            "commet:\n  timeout: 30\n",
            "2: commet.timeout: expected a duration such as 30s, 5m, 24h or 1h30m, found \"30\""
        ),
        ("commet:\n  connect_timeout: 0s\n", "2: commet.connect_timeout: must be longer than 0s"),
        ("schedule:\n  interval: 0s\n", "2: schedule.interval: must be longer than 0s"),
        (
            "schedule:\n  interval: 1m\n  jitter: 2m\n",
            "3: schedule.jitter: must not be longer than schedule.interval (1m)"
        ),
        ("schedule:\n  pass_timeout: 0s\n", "2: schedule.pass_timeout: must be longer than 0s"),
        (
            "schedule:\n  debounce: soon\n",
            "2: schedule.debounce: expected a duration such as 30s, 5m, 24h or 1h30m, found \"soon\""
        ),
        ("commet:\n  concurrency: 0\n", "2: commet.concurrency: must be between 1 and 64, found 0"),
        ("commet:\n  concurrency: 65\n", "2: commet.concurrency: must be between 1 and 64, found 65"),
        ("commet:\n  max_retries: -1\n", "2: commet.max_retries: must be between 0 and 10, found -1"),
        ("commet:\n  retry_base_delay: 0s\n", "2: commet.retry_base_delay: must be longer than 0s"),
        (
            "commet:\n  retry_base_delay: 2s\n  retry_max_delay: 1s\n",
            "3: commet.retry_max_delay: must not be shorter than commet.retry_base_delay (2s)"
        ),
        (
            "commet:\n  retry_base_delay: 10s\n",
            "2: commet.retry_base_delay: must not be longer than commet.retry_max_delay (8s)"
        ),
        ("commet:\n  requests_per_second: 0\n", "2: commet.requests_per_second: must be more than 0"),
        ("commet:\n  requests_per_second: fast\n", "2: commet.requests_per_second: expected a number, found \"fast\""),
        (
            "commet:\n  base_url: ftp://commet.co/api\n",
            "2: commet.base_url: scheme must be https (or http to a loopback host), not ftp, found \"ftp://commet.co/api\""
        ),
        (
            "commet:\n  base_url: http://commet.co/api/v1\n",
            "2: commet.base_url: plain http is only allowed to a loopback host (127.0.0.0/8, ::1, localhost), not "
                + "commet.co, found \"http://commet.co/api/v1\""
        ),
        (
            "commet:\n  base_url: commet\n",
            "2: commet.base_url: not an absolute URL, found \"commet\""
        ),
        ("commet:\n  proxy: socks5://127.0.0.1:1080\n", "2: commet.proxy: scheme must be http or https, not socks5"),
        ("commet:\n  proxy: http://user:secret@proxy.example:3128\n", "2: commet.proxy: must not carry credentials"),
        (
            "commet:\n  proxy: http://proxy.example:3128/path\n",
            "2: commet.proxy: must be only scheme, host and port, without a path, query or fragment"
        ),
        ("commet:\n  proxy: proxy.example\n", "2: commet.proxy: expected a URL such as http://proxy.example:3128"),
        ("commet:\n  proxy: http://proxy.example:0\n", "2: commet.proxy: port 0 is invalid"),
        ("policy:\n  absent_features: drop\n", "2: policy.absent_features: expected keep or zero, found \"drop\""),
        (
            "policy:\n  guard:\n    max_removed_fraction: 1.5\n",
            "3: policy.guard.max_removed_fraction: must be between 0 and 1, found 1.5"
        ),
        (
            "policy:\n  guard:\n    max_customer_removed_fraction: -0.1\n",
            "3: policy.guard.max_customer_removed_fraction: must be between 0 and 1, found -0.1"
        ),
        (
            "policy:\n  guard:\n    max_removed_seats: -1\n",
            "3: policy.guard.max_removed_seats: must be at least 0, found -1"
        ),
        (
            "policy:\n  role_precedence: [admin, editor, admin]\n",
            "2: policy.role_precedence: \"admin\" is listed twice"
        ),
        ("policy:\n  role_precedence: admin\n", "2: policy.role_precedence: expected a list, found \"admin\""),
        (
            "policy:\n  every_role_takes_a_seat: maybe\n",
            "2: policy.every_role_takes_a_seat: expected true or false, found \"maybe\""
        ),
        ("state_dir: ''\n", "1: state_dir: expected a folder, found an empty value"),
    ])
    func invalidValuesNameFileLineAndKey(yaml: String, expected: String) throws {
        let fixture = try ConfigFixture(yaml + oneSource)
        #expect(fixture.failure() == "\(fixture.path):\(expected)")
    }

    @Test(arguments: [
        ("sources:\n  - name: hr\n    type: csv\n", "2: sources[0]: missing required key \"path\""),
        ("sources:\n  - type: csv\n    path: a.csv\n", "2: sources[0]: missing required key \"name\""),
        (
            "sources:\n  - name: hr\n    path: a.csv\n",
            "2: sources[0]: missing required key \"type\" (csv, ldif or json)"
        ),
        (
            "sources:\n  - name: hr\n    type: xml\n    path: a.xml\n",
            "3: sources[0].type: unknown source type \"xml\" (known: csv, ldif, json)"
        ),
        (
            "sources:\n  - name: hr\n    type: cvs\n    path: a.csv\n",
            "3: sources[0].type: unknown source type \"cvs\" (known: csv, ldif, json); did you mean \"csv\"?"
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    pth: a.csv\n",
            "4: sources[0].pth: unknown key; did you mean \"path\"?"
        ),
        (
            "sources:\n  - name: hr\n    type: json\n    path: a.json\n    groups: {a: b}\n",
            "5: sources[0].groups: not a key of json sources (it belongs to ldif sources)"
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    path: a.csv\n  - name: hr\n    type: json\n    path: b.json\n",
            "5: sources[1].name: \"hr\" is already the name of sources[0]; names must be unique"
        ),
        ("sources: []\n", "1: sources: at least one source is required"),
        ("sources:\n  hr: a.csv\n", "2: sources: expected a list of sources, found a mapping"),
        ("sources:\n  - hr\n", "2: sources[0]: expected a source (a mapping with name, type and path), found \"hr\""),
        (
            "sources:\n  - name: d\n    type: ldif\n    path: g.ldif\n    customer: o\n    groups: {a: b}\n",
            "5: sources[0].customer: expected {rdn: NAME} or {attribute: NAME}, found \"o\""
        ),
        (
            "sources:\n  - name: d\n    type: ldif\n    path: g.ldif\n    customer: {rdn: o, attribute: x}\n    groups: {a: b}\n",
            "5: sources[0].customer: expected {rdn: NAME} or {attribute: NAME}"
        ),
        (
            "sources:\n  - name: d\n    type: ldif\n    path: g.ldif\n    customer: {rnd: o}\n    groups: {a: b}\n",
            "5: sources[0].customer.rnd: unknown key; did you mean \"rdn\"?"
        ),
        (
            "sources:\n  - name: d\n    type: ldif\n    path: g.ldif\n    groups: {a: b}\n",
            "2: sources[0]: missing required key \"customer\" (expected {rdn: NAME} or {attribute: NAME})"
        ),
        (
            "sources:\n  - name: d\n    type: ldif\n    path: g.ldif\n    customer: {rdn: o}\n",
            "2: sources[0]: missing required key \"groups\" (group cn -> feature code)"
        ),
        (
            "sources:\n  - name: d\n    type: ldif\n    path: g.ldif\n    customer: {rdn: o}\n    groups: {}\n",
            "6: sources[0].groups: at least one group must be mapped"
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    path: a.csv\n    columns: {customer: c, user: u, count: n}\n",
            "5: sources[0].columns: expected {customer, user, role} or {customer, feature, count} header names"
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    path: a.csv\n    delimiter: ab\n",
            "5: sources[0].delimiter: expected one character such as \",\" \";\" \"|\" or tab, found \"ab\""
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    path: a.csv\n    roles:\n      Editor: editor\n      editor: viewer\n",
            "7: sources[0].roles.editor: \"editor\" and \"Editor\" are the same name (names compare case-insensitively)"
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    path: a.csv\n    roles: {Editor: power editor}\n",
            "5: sources[0].roles: feature code \"power editor\" contains whitespace"
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    path: a.csv\n    max_age: forever\n",
            "5: sources[0].max_age: expected a duration such as 30s, 5m, 24h or 1h30m, found \"forever\""
        ),
        (
            "sources:\n  - name: hr\n    type: csv\n    path: a.csv\n    allow_empty: sometimes\n",
            "5: sources[0].allow_empty: expected true or false, found \"sometimes\""
        ),
    ])
    func invalidSourcesNameFileLineAndKey(yaml: String, expected: String) throws {
        let fixture = try ConfigFixture(yaml)
        #expect(fixture.failure() == "\(fixture.path):\(expected)")
    }

    @Test(arguments: [
        ("", "1: the file is empty"),
        ("- a\n- b\n", "1: expected a mapping of keys, found a list"),
        ("commet: {}\n", "1: missing required key \"sources\" (at least one source)"),
    ])
    func wholeFileProblems(yaml: String, expected: String) throws {
        let fixture = try ConfigFixture(yaml)
        #expect(fixture.failure() == "\(fixture.path):\(expected)")
    }

    @Test func yamlSyntaxErrorsCarryLineAndColumn() throws {
        // Input: a flow sequence opened on line 2 and never closed.
        // Expected: where libyaml gave up (line 4, column 1) and where the sequence began.
        let fixture = try ConfigFixture("policy:\n  role_precedence: [admin,\nsources: x\n")
        #expect(
            fixture.failure()
                == "\(fixture.path):4:1: YAML syntax: did not find expected ',' or ']' "
                + "(while parsing a flow sequence at line 2, column 20)"
        )
    }

    @Test func yamlSyntaxErrorAtTheEndOfAFileWithoutFinalLineBreakNamesItsLastLine() throws {
        // Input (found by fuzz-config): a key without ':' as the last line, with no line break after it; libyaml
        // reports the problem on line 3, which the file does not have. Expected: the end of line 2.
        let fixture = try ConfigFixture("sources: []\nstate_dir")
        #expect(
            fixture.failure()
                == "\(fixture.path):2:10: YAML syntax: could not find expected ':' "
                + "(while scanning a simple key at line 2, column 1)"
        )
    }

    @Test func anEmptyDocumentAtTheEndOfAFileWithoutFinalLineBreakNamesItsLastLine() throws {
        // Input (found by fuzz-config in CI): only a comment and a `---` document marker, no line break after it;
        // libyaml places the empty document on line 3, which the file does not have. Expected: line 2.
        let fixture = try ConfigFixture("# nothing configured yet\n---")
        #expect(fixture.failure() == "\(fixture.path):2: expected a mapping of keys, found nothing")
    }

    @Test func yamlLinesEndAtCarriageReturnsToo() throws {
        // Input: the same file with CR-only line ends, and a line break after the last line.
        // Expected: the line after the last line break, as libyaml counts it (CR ends a line in YAML).
        let fixture = try ConfigFixture("commet: {}\rsources: []\rstate_dir\r")
        #expect(
            fixture.failure()
                == "\(fixture.path):4:1: YAML syntax: could not find expected ':' "
                + "(while scanning a simple key at line 3, column 1)"
        )
    }

    @Test func duplicateKeysAreRefused() throws {
        // Input: `path` twice in one source. Expected: an error naming the key and its first line.
        let fixture = try ConfigFixture("sources:\n  - name: hr\n    type: csv\n    path: a.csv\n    path: b.csv\n")
        #expect(fixture.failure() == "\(fixture.path):4:5: YAML syntax: duplicate key \"path\" in one mapping")
    }

    @Test func missingFileSaysSo() {
        let path = "/nonexistent-\(UUID().uuidString)/seat-sync.yaml"
        #expect(throws: ConfigError.unreadable(file: path, reason: "No such file or directory")) {
            try ConfigLoader.load(path: path, environment: [:])
        }
    }

    @Test func aFIFOAsTheConfigIsRefusedAtOnceAsNotARegularFile() throws {
        // Input: the config path is a FIFO that no process writes to (a plain open() would wait for a writer
        // forever, so without the non-blocking open this test hangs). Expected: unreadable, "not a regular file".
        let folder = try TemporaryDirectory()
        let path = folder.path + "/seat-sync.yaml"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: ConfigError.unreadable(file: path, reason: "not a regular file")) {
            try ConfigLoader.load(path: path, environment: [:])
        }
    }
}
