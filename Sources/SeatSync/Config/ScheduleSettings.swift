/// The `schedule` section: how often the daemon runs a pass.
public struct ScheduleSettings: Sendable, Hashable {
    /// `schedule.interval`: time between the starts of two passes.
    public var interval: Duration
    /// `schedule.jitter`: up to this much random delay added to each interval, so fleets do not run in lockstep.
    public var jitter: Duration

    public init(interval: Duration = .seconds(300), jitter: Duration = .seconds(30)) {
        self.interval = interval
        self.jitter = jitter
    }
}
