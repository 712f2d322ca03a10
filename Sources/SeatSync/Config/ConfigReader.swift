import CommetSeats
import Foundation
import SeatSources
import Yams

/// Turns the composed YAML tree of one config file into a ``SeatSyncConfig``, key by key.
struct ConfigReader {
    let file: String

    /// The folder relative paths in the file are resolved against.
    var folder: String { (file as NSString).deletingLastPathComponent }

    func read(_ root: Node) throws(ConfigError) -> SeatSyncConfig {
        let top = try ConfigNode(node: root, path: "", file: file)
            .mapping(known: ["commet", "schedule", "policy", "state_dir", "metrics", "sources"])
        let commet =
            try top["commet"].map { node throws(ConfigError) in try readCommet(node) } ?? CommetSettings()
        let schedule =
            try top["schedule"].map { node throws(ConfigError) in try readSchedule(node) }
            ?? ScheduleSettings()
        let policy =
            try top["policy"].map { node throws(ConfigError) in try readPolicy(node) } ?? PolicySection()
        let stateDirectory =
            try top["state_dir"].map { node throws(ConfigError) in try resolve(node.name("a folder")) }
            ?? "/var/lib/seat-sync"
        let metrics =
            try top["metrics"].map { node throws(ConfigError) in try readMetrics(node) } ?? MetricsSettings()
        let sources = try readSources(top.required("sources", hint: "at least one source"))

        let merge = MergePolicy(
            rolePrecedence: policy.rolePrecedence,
            everyRoleTakesASeat: policy.everyRoleTakesASeat,
            mappedFeatures: Set(sources.flatMap(\.mappedFeatures)),
            maxSeatsPerCustomer: policy.maxSeatsPerCustomer
        )
        return SeatSyncConfig(
            file: file,
            commet: commet,
            schedule: schedule,
            policy: policy.plan,
            merge: merge,
            stateDirectory: stateDirectory,
            metrics: metrics,
            sources: sources.map { $0.makeSource(lastAppliedSequence: nil) },
            sourceDefinitions: sources
        )
    }

    /// A path from the file: absolute as written, relative to the config's folder otherwise.
    func resolve(_ path: String) -> String {
        guard !path.hasPrefix("/"), !folder.isEmpty else { return path }
        return (folder as NSString).appendingPathComponent(path)
    }

    private func readCommet(_ node: ConfigNode) throws(ConfigError) -> CommetSettings {
        let map = try node.mapping(known: [
            "base_url", "api_key_file", "timeout", "connect_timeout", "max_retries", "retry_base_delay",
            "retry_max_delay", "requests_per_second", "concurrency", "ca_bundle", "proxy",
        ])
        var settings = CommetSettings()
        if let url = map["base_url"] {
            let text = try url.string()
            do {
                settings.baseURL = try BaseURL.validate(text)
            } catch {
                throw url.error(error.problem)
            }
        }
        settings.apiKeyFile = try map["api_key_file"].map { node throws(ConfigError) in
            resolve(try node.name("a file path"))
        }
        if let timeout = map["timeout"] { settings.timeout = try timeout.duration(positive: true) }
        if let timeout = map["connect_timeout"] {
            settings.connectTimeout = try timeout.duration(positive: true)
        }
        if let retries = map["max_retries"] { settings.maxRetries = try retries.int(in: 0...10) }
        if let delay = map["retry_base_delay"] { settings.retryBaseDelay = try delay.duration(positive: true) }
        if let delay = map["retry_max_delay"] { settings.retryMaxDelay = try delay.duration(positive: true) }
        if settings.retryBaseDelay > settings.retryMaxDelay {
            let base = DurationText.format(settings.retryBaseDelay)
            let max = DurationText.format(settings.retryMaxDelay)
            if let delay = map["retry_max_delay"] {
                throw delay.error("must not be shorter than commet.retry_base_delay (\(base))")
            }
            throw map["retry_base_delay"]!.error("must not be longer than commet.retry_max_delay (\(max))")
        }
        if let rate = map["requests_per_second"] {
            settings.requestsPerSecond = try rate.double(in: 0...10_000)
            guard settings.requestsPerSecond > 0 else { throw rate.error("must be more than 0") }
        }
        if let concurrency = map["concurrency"] {
            settings.concurrency = try concurrency.int(in: 1...64)
        }
        settings.caBundle = try map["ca_bundle"].map { node throws(ConfigError) in
            resolve(try node.name("a file path"))
        }
        if let proxy = map["proxy"] {
            let text = try proxy.string()
            if let problem = ProxyURL.problem(with: text) { throw proxy.error(problem) }
            settings.proxy = text
        }
        return settings
    }

    private func readSchedule(_ node: ConfigNode) throws(ConfigError) -> ScheduleSettings {
        let map = try node.mapping(known: [
            "interval", "jitter", "debounce", "stop_grace", "pass_timeout", "full_resync",
        ])
        var settings = ScheduleSettings()
        if let interval = map["interval"] { settings.interval = try interval.duration(positive: true) }
        if let debounce = map["debounce"] { settings.debounce = try debounce.duration(positive: false) }
        if let grace = map["stop_grace"] { settings.stopGrace = try grace.duration(positive: false) }
        if let resync = map["full_resync"] {
            settings.fullResync = try resync.duration(positive: true)
            guard settings.fullResync >= settings.interval else {
                throw resync.error(
                    "must not be shorter than schedule.interval (\(DurationText.format(settings.interval)))"
                )
            }
        }
        if let timeout = map["pass_timeout"] { settings.passTimeout = try timeout.duration(positive: true) }
        if let jitter = map["jitter"] {
            settings.jitter = try jitter.duration(positive: false)
            guard settings.jitter <= settings.interval else {
                throw jitter.error(
                    "must not be longer than schedule.interval (\(DurationText.format(settings.interval)))"
                )
            }
        }
        return settings
    }

    private func readMetrics(_ node: ConfigNode) throws(ConfigError) -> MetricsSettings {
        let map = try node.mapping(known: ["textfile"])
        return MetricsSettings(
            textfile: try map["textfile"].map { node throws(ConfigError) in resolve(try node.name("a file path")) }
        )
    }

    private func readPolicy(_ node: ConfigNode) throws(ConfigError) -> PolicySection {
        let map = try node.mapping(known: [
            "absent_features", "role_precedence", "every_role_takes_a_seat", "zero_customers", "guard",
            "pending_timeout", "max_seats_per_customer",
        ])
        var section = PolicySection()
        if let absent = map["absent_features"] {
            let value = try absent.string()
            guard let mode = AbsentFeatures(rawValue: value) else {
                throw absent.error("expected keep or zero, found \"\(value)\"")
            }
            section.plan.absentFeatures = mode
        }
        if let precedence = map["role_precedence"] {
            section.rolePrecedence = try unique(precedence, precedence.stringList())
        }
        if let every = map["every_role_takes_a_seat"] { section.everyRoleTakesASeat = try every.bool() }
        if let zero = map["zero_customers"] {
            section.plan.zeroCustomers = try unique(zero, zero.stringList())
        }
        if let timeout = map["pending_timeout"] { section.plan.pendingTimeout = try timeout.duration(positive: true) }
        if let ceiling = map["max_seats_per_customer"] {
            section.maxSeatsPerCustomer = try ceiling.int(in: 1...Int.max)
        }
        if let limits = map["guard"] {
            let guardMap = try limits.mapping(known: [
                "max_removed_fraction", "max_removed_seats", "max_customer_removed_fraction",
                "max_added_seats", "max_customer_added_fraction", "max_customer_added_seats",
            ])
            if let value = guardMap["max_removed_fraction"] {
                section.plan.guardLimits.maxRemovedFraction = try value.double(in: 0...1)
            }
            if let value = guardMap["max_removed_seats"] {
                section.plan.guardLimits.maxRemovedSeats = try value.int(in: 0...Int.max)
            }
            if let value = guardMap["max_customer_removed_fraction"] {
                section.plan.guardLimits.maxCustomerRemovedFraction = try value.double(in: 0...1)
            }
            if let value = guardMap["max_added_seats"] {
                section.plan.guardLimits.maxAddedSeats = try value.int(in: 0...Int.max)
            }
            if let value = guardMap["max_customer_added_fraction"] {
                section.plan.guardLimits.maxCustomerAddedFraction = try value.double(in: 0...1000)
            }
            if let value = guardMap["max_customer_added_seats"] {
                section.plan.guardLimits.maxCustomerAddedSeats = try value.int(in: 0...Int.max)
            }
        }
        return section
    }

    private func unique(_ node: ConfigNode, _ values: [String]) throws(ConfigError) -> [String] {
        var seen: Set<String> = []
        for value in values where !seen.insert(value).inserted {
            throw node.error("\"\(value)\" is listed twice")
        }
        return values
    }

    private func readSources(_ node: ConfigNode) throws(ConfigError) -> [SourceDefinition] {
        guard case .sequence(let items) = node.node else {
            throw node.error("expected a list of sources, found \(node.kind)")
        }
        guard !items.isEmpty else { throw node.error("at least one source is required") }
        var definitions: [SourceDefinition] = []
        var names: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let sourceNode = ConfigNode(node: item, path: "sources[\(index)]", file: file)
            let definition = try SourceSectionReader(config: self).read(sourceNode)
            let name = definition.settings.name
            if let first = names[name] {
                let nameNode = try sourceNode.mapping(known: SourceSectionReader.allKeys).required("name")
                throw nameNode.error(
                    "\"\(name)\" is already the name of sources[\(first)]; names must be unique"
                )
            }
            names[name] = index
            definitions.append(definition)
        }
        return definitions
    }
}

/// The `policy` section before it is split into the planner's and the merger's parts.
struct PolicySection {
    var plan = PlanPolicy()
    var rolePrecedence = ["admin", "editor", "viewer"]
    var everyRoleTakesASeat = false
    var maxSeatsPerCustomer = 1_000_000
}
