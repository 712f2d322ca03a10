import CommetSeats
import Foundation
import SeatSources
import TestSupport
import Testing

@testable import SeatSync

/// Every key of ``ConfigTable`` is known, read and lands in the config, and the `commet` keys reach the client.
@Suite struct ConfigTableTests {
    /// A value for every key of the table, by its key path, each unlike the default.
    static let samples: [String: String] = [
        "commet.base_url": "https://billing.example.com/api/v1",
        "commet.api_key_file": "/run/keys/commet",
        "commet.timeout": "45s",
        "commet.connect_timeout": "2s",
        "commet.max_retries": "5",
        "commet.retry_base_delay": "250ms",
        "commet.retry_max_delay": "2s",
        "commet.requests_per_second": "2.5",
        "commet.concurrency": "8",
        "commet.ca_bundle": "/etc/ssl/proxy.pem",
        "commet.proxy": "http://proxy.example:3128",
        "schedule.interval": "90m",
        "schedule.jitter": "250ms",
        "schedule.debounce": "5s",
        "schedule.stop_grace": "10s",
        "schedule.pass_timeout": "2h",
        "schedule.full_resync": "6h",
        "policy.absent_features": "zero",
        "policy.role_precedence": "[owner, admin]",
        "policy.every_role_takes_a_seat": "true",
        "policy.zero_customers": "[cus_gone]",
        "policy.guard.max_removed_fraction": "0.25",
        "policy.guard.max_removed_seats": "7",
        "policy.guard.max_customer_removed_fraction": "0.75",
        "policy.guard.max_added_seats": "9",
        "policy.guard.max_customer_added_fraction": "3",
        "policy.guard.max_customer_added_seats": "11",
        "policy.pending_timeout": "2h",
        "policy.max_seats_per_customer": "500",
        "state_dir": "/srv/seat-sync-state",
        "metrics.textfile": "/var/lib/node_exporter/seat-sync.prom",
        "sources": "[{name: hr, type: csv, path: users.csv}, {name: hook, type: json, path: seats.json}]",
    ]

    /// The one source a config needs, for configs that do not set `sources` themselves.
    static let oneSource = "[{name: hr, type: csv, path: users.csv}]"

    /// The key paths the table lists: each key of each section, a section standing for its keys.
    static var tableKeyPaths: Set<String> {
        let sections: [(path: String, known: [String])] = [
            ("", ConfigTable.root.known),
            ("commet", ConfigTable.commet.known),
            ("schedule", ConfigTable.schedule.known),
            ("policy", ConfigTable.policy.known),
            ("policy.guard", ConfigTable.guardLimits.known),
            ("metrics", ConfigTable.metrics.known),
        ]
        let keyPaths = sections.flatMap { section in
            section.known.map { section.path.isEmpty ? $0 : "\(section.path).\($0)" }
        }
        return Set(keyPaths).subtracting(sections.map(\.path))
    }

    @Test func everyKeyOfTheTableHasASample() {
        // Input: the table's sections. Expected: the samples name exactly their keys, so the tests below cover
        // every key, and a key added to the table is added here too.
        #expect(Set(Self.samples.keys) == Self.tableKeyPaths)
    }

    @Test(arguments: ConfigTableTests.samples.keys.sorted())
    func eachKeyLandsInTheConfig(keyPath: String) throws {
        // Input: a config setting only `keyPath` (plus one source), and one setting nothing.
        // Expected: both load (the key is known and read), and the first differs from the defaults.
        let base = try load(["sources": Self.oneSource])
        var values = ["sources": Self.oneSource]
        values[keyPath] = Self.samples[keyPath]
        let config = try load(values)
        let settings = { (config: SeatSyncConfig) in
            (config.commet, config.schedule, config.policy, config.merge, config.stateDirectory, config.metrics)
        }
        let changed =
            settings(config) != settings(base)
            || config.sourceDefinitions.map(\.settings.name) != base.sourceDefinitions.map(\.settings.name)
        #expect(changed, "\(keyPath): \(Self.samples[keyPath] ?? "") left the config as the defaults")
    }

    @Test func everyClientKeyReachesTheClient() throws {
        // Input: a config setting every key. Expected: each `commet` key the client takes is in its configuration.
        let configuration = try load(Self.samples).commet.clientConfiguration(apiKey: APIKey("ck_test"))
        #expect(configuration.baseURL == "https://billing.example.com/api/v1")
        #expect(configuration.timeout == .seconds(45))
        #expect(configuration.connectTimeout == .seconds(2))
        #expect(configuration.retry == RetryPolicy(maxRetries: 5, baseDelay: .milliseconds(250), maxDelay: .seconds(2)))
        #expect(configuration.requestsPerSecond == 2.5)
        #expect(configuration.caBundlePath == "/etc/ssl/proxy.pem")
        #expect(configuration.proxy == "http://proxy.example:3128")
    }

    @Test func unsetClientKeysKeepTheClientsDefaults() throws {
        // Input: a config with no commet section. Expected: the client configuration is the client's default,
        // apart from seat-sync's own rate limit.
        let configuration = try load(["sources": Self.oneSource]).commet.clientConfiguration(apiKey: APIKey("ck"))
        let clientDefault = CommetConfiguration(apiKey: APIKey("ck"))
        #expect(configuration.baseURL == clientDefault.baseURL)
        #expect(configuration.timeout == clientDefault.timeout)
        #expect(configuration.connectTimeout == clientDefault.connectTimeout)
        #expect(configuration.retry == clientDefault.retry)
        #expect(configuration.requestsPerSecond == 10)
        #expect(configuration.caBundlePath == nil)
        #expect(configuration.proxy == nil)
    }

    @Test(arguments: ConfigTableTests.samples.keys.filter { $0.hasPrefix("commet.") }.sorted())
    func onlyTheKeysThatPaceRequestsStayOutOfTheFingerprint(keyPath: String) throws {
        // Input: a config with a commet section (one other key) and one source, and the same config setting
        // `keyPath` too. Expected: the same fingerprint for the keys that only pace or time requests, so a pass
        // keeps what earlier passes confirmed; a different one for the rest.
        let pacing: Set = [
            "commet.timeout", "commet.max_retries", "commet.retry_base_delay", "commet.retry_max_delay",
            "commet.requests_per_second", "commet.concurrency",
        ]
        let other = keyPath == "commet.api_key_file" ? "commet.ca_bundle" : "commet.api_key_file"
        var values = ["sources": Self.oneSource, other: Self.samples[other] ?? ""]
        let base = try load(values)
        values[keyPath] = Self.samples[keyPath]
        let config = try load(values)
        #expect((config.fingerprint == base.fingerprint) == pacing.contains(keyPath))
    }

    /// Writes YAML setting each dotted key path to its value (`policy.guard.max_added_seats` nests three deep)
    /// into a fresh folder and loads it.
    private func load(_ values: [String: String]) throws -> SeatSyncConfig {
        var lines: [String] = []
        var open: [Substring] = []
        for (keyPath, value) in values.sorted(by: { $0.key < $1.key }) {
            let parts = keyPath.split(separator: ".")
            let parents = parts.dropLast()
            var shared = 0
            while shared < min(open.count, parents.count), open[shared] == parents[shared] { shared += 1 }
            open = Array(open.prefix(shared))
            for part in parents.dropFirst(shared) {
                lines.append(String(repeating: "  ", count: open.count) + part + ":")
                open.append(part)
            }
            lines.append(String(repeating: "  ", count: open.count) + "\(parts.last ?? ""): \(value)")
        }
        let folder = try TemporaryDirectory()
        let path = try folder.write("seat-sync.yaml", lines.joined(separator: "\n") + "\n")
        return try withExtendedLifetime(folder) { try ConfigLoader.load(path: path, environment: [:]) }
    }
}
