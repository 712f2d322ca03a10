import CommetSeats
import SeatSources

/// Every key of `seat-sync.yaml`, each written once: its name, how its value is read and checked, and the field it
/// lands in. The known-key lists come from here; the defaults from the settings types, and for the keys the client
/// takes, from ``CommetConfiguration`` and ``RetryPolicy``. The keys of each `sources:` entry are read by
/// ``SourceSectionReader``.
enum ConfigTable {
    static var root: ConfigSection<SeatSyncConfig> {
        ConfigSection(
            keys: [
                ConfigKey("commet", commet, \.commet),
                ConfigKey("schedule", schedule, \.schedule),
                ConfigKey("policy", policy, \.self),
                ConfigKey("state_dir", .path("a folder"), \.stateDirectory),
                ConfigKey("metrics", metrics, \.metrics),
                ConfigKey("sources", ValueRule(read: SourceSectionReader.read), \.sourceDefinitions),
            ]
        ) { _, map throws(ConfigError) in _ = try map.required("sources", hint: "at least one source") }
    }

    static var commet: ConfigSection<CommetSettings> {
        ConfigSection(
            keys: [
                ConfigKey("base_url", baseURL, \.baseURL, client: \.baseURL),
                ConfigKey("api_key_file", .path(), \.apiKeyFile),
                ConfigKey("timeout", .duration(positive: true), \.timeout, client: \.timeout).pacing(),
                ConfigKey("connect_timeout", .duration(positive: true), \.connectTimeout, client: \.connectTimeout),
                ConfigKey("max_retries", .int(in: 0...10), \.maxRetries, client: \.retry.maxRetries).pacing(),
                ConfigKey("retry_base_delay", .duration(positive: true), \.retryBaseDelay, client: \.retry.baseDelay)
                    .pacing(),
                ConfigKey("retry_max_delay", .duration(positive: true), \.retryMaxDelay, client: \.retry.maxDelay)
                    .pacing(),
                ConfigKey("requests_per_second", requestRate, \.requestsPerSecond, client: \.requestsPerSecond)
                    .pacing(),
                ConfigKey("concurrency", .int(in: 1...64), \.concurrency).pacing(),
                ConfigKey("ca_bundle", ValueRule.path().optional, \.caBundle, client: \.caBundlePath),
                ConfigKey("proxy", proxy.optional, \.proxy, client: \.proxy),
            ]
        ) { settings, map throws(ConfigError) in
            guard settings.retryBaseDelay > settings.retryMaxDelay else { return }
            if let delay = map["retry_max_delay"] {
                let base = DurationText.format(settings.retryBaseDelay)
                throw delay.error("must not be shorter than commet.retry_base_delay (\(base))")
            }
            let max = DurationText.format(settings.retryMaxDelay)
            throw try map.required("retry_base_delay").error("must not be longer than commet.retry_max_delay (\(max))")
        }
    }

    static var schedule: ConfigSection<ScheduleSettings> {
        ConfigSection(
            keys: [
                ConfigKey("interval", .duration(positive: true), \.interval),
                ConfigKey("jitter", .duration(positive: false), \.jitter),
                ConfigKey("debounce", .duration(positive: false), \.debounce),
                ConfigKey("stop_grace", .duration(positive: false), \.stopGrace),
                ConfigKey("pass_timeout", .duration(positive: true), \.passTimeout),
                ConfigKey("full_resync", .duration(positive: true), \.fullResync),
            ]
        ) { settings, map throws(ConfigError) in
            let interval = DurationText.format(settings.interval)
            if let resync = map["full_resync"], settings.fullResync < settings.interval {
                throw resync.error("must not be shorter than schedule.interval (\(interval))")
            }
            if let jitter = map["jitter"], settings.jitter > settings.interval {
                throw jitter.error("must not be longer than schedule.interval (\(interval))")
            }
        }
    }

    /// `policy` is split between the planner's ``PlanPolicy`` and the merger's ``MergePolicy``.
    static var policy: ConfigSection<SeatSyncConfig> {
        ConfigSection(keys: [
            ConfigKey("absent_features", .oneOf, \.policy.absentFeatures),
            ConfigKey("role_precedence", .uniqueNames, \.merge.rolePrecedence),
            ConfigKey("every_role_takes_a_seat", .bool, \.merge.everyRoleTakesASeat),
            ConfigKey("zero_customers", .uniqueNames, \.policy.zeroCustomers),
            ConfigKey("guard", guardLimits, \.policy.guardLimits),
            ConfigKey("pending_timeout", .duration(positive: true), \.policy.pendingTimeout),
            ConfigKey("max_seats_per_customer", .int(in: 1...Int.max), \.merge.maxSeatsPerCustomer),
        ])
    }

    static var guardLimits: ConfigSection<GuardLimits> {
        ConfigSection(keys: [
            ConfigKey("max_removed_fraction", .number(in: 0...1), \.maxRemovedFraction),
            ConfigKey("max_removed_seats", .int(in: 0...Int.max), \.maxRemovedSeats),
            ConfigKey("max_customer_removed_fraction", .number(in: 0...1), \.maxCustomerRemovedFraction),
            ConfigKey("max_added_seats", .int(in: 0...Int.max), \.maxAddedSeats),
            ConfigKey("max_customer_added_fraction", .number(in: 0...1000), \.maxCustomerAddedFraction),
            ConfigKey("max_customer_added_seats", .int(in: 0...Int.max), \.maxCustomerAddedSeats),
        ])
    }

    static var metrics: ConfigSection<MetricsSettings> {
        ConfigSection(keys: [ConfigKey("textfile", .path(), \.textfile)])
    }

    /// `commet.base_url`, checked by the client's own rule.
    private static var baseURL: ValueRule<String> {
        ValueRule { node throws(ConfigError) in
            let text = try node.string()
            do throws(BaseURL.Problem) {
                return try BaseURL.validate(text)
            } catch {
                throw node.error(error.problem)
            }
        }
    }

    /// `commet.requests_per_second`: a rate of 0 would never send a request.
    private static var requestRate: ValueRule<Double> {
        ValueRule { node throws(ConfigError) in
            let rate = try node.double(in: 0...10_000)
            guard rate > 0 else { throw node.error("must be more than 0") }
            return rate
        }
    }

    /// `commet.proxy`, checked by the client's own rule.
    private static var proxy: ValueRule<String> {
        ValueRule { node throws(ConfigError) in
            let text = try node.string()
            if let problem = ProxyURL.problem(with: text) { throw node.error(problem) }
            return text
        }
    }
}
