package import SeatSources

/// Everything one `seat-sync.yaml` says, validated, with environment overrides applied.
///
/// Each field starts at the default a config without the key gets; ``ConfigTable`` says which key sets it.
package struct SeatSyncConfig: Sendable {
    /// The config file's path, as given.
    package var file: String
    package var commet = CommetSettings()
    package var schedule = ScheduleSettings()
    /// `policy.absent_features`, `policy.guard.*`, `policy.zero_customers` and `policy.pending_timeout`.
    package var policy = PlanPolicy()
    /// `policy.role_precedence`, `policy.every_role_takes_a_seat`, `policy.max_seats_per_customer`, and the
    /// feature codes the mappings name.
    package var merge = MergePolicy(rolePrecedence: ["admin", "editor", "viewer"])
    /// `state_dir`: where the last applied snapshot sequences and the last pass's writes are kept.
    package var stateDirectory = "/var/lib/seat-sync"
    /// `metrics.textfile`: where the gauges of each pass go, if anywhere.
    package var metrics = MetricsSettings()
    /// How each source was configured, in file order, to build it with what the state directory knows.
    package var sourceDefinitions: [SourceDefinition] = []
    /// A digest of the config file's text and the environment overrides applied: a pass after it changed reads
    /// every customer.
    package var fingerprint = ""

    init(file: String) {
        self.file = file
    }

    /// The sources with each JSON snapshot source refusing sequences below what was last applied from it.
    /// - Parameter lastAppliedSequences: the last applied snapshot sequence per source name, from the state.
    package func sources(lastAppliedSequences: [String: Int]) -> [any SeatSource] {
        sourceDefinitions.map {
            $0.makeSource(lastAppliedSequence: lastAppliedSequences[$0.settings.name])
        }
    }
}
