/// The `schedule` section: when the daemon runs a pass, and how long it waits for one.
package struct ScheduleSettings: Sendable, Hashable {
    /// `schedule.interval`: time from the end of one pass to the start of the next, so a long pass delays the
    /// next one instead of piling passes up.
    package var interval: Duration
    /// `schedule.jitter`: up to this much random delay added to each interval, so fleets do not run in lockstep.
    package var jitter: Duration
    /// `schedule.debounce`: how long after a source file is replaced the pass it triggers starts; further
    /// changes in that time push it back, so a writer replacing several files gets one pass.
    package var debounce: Duration
    /// `schedule.stop_grace`: how long SIGTERM or SIGINT waits for the pass in flight before cancelling it.
    /// Below the unit's `TimeoutStopSec=`, so the daemon ends on its own before systemd kills it.
    package var stopGrace: Duration
    /// `schedule.pass_timeout`: a pass running longer is taken as hung: it is cancelled, and until it ends the
    /// systemd watchdog is no longer pinged, so systemd restarts a daemon that cannot get out of it.
    package var passTimeout: Duration
    /// `schedule.full_resync`: every customer's balances are read at least this often, even when its sources do
    /// not change: that is how a dashboard edit of an unchanged customer is still found.
    package var fullResync: Duration

    package init(
        interval: Duration = .seconds(300),
        jitter: Duration = .seconds(30),
        debounce: Duration = .seconds(2),
        stopGrace: Duration = .seconds(30),
        passTimeout: Duration = .seconds(3600),
        fullResync: Duration = .seconds(3600)
    ) {
        self.interval = interval
        self.jitter = jitter
        self.debounce = debounce
        self.stopGrace = stopGrace
        self.passTimeout = passTimeout
        self.fullResync = fullResync
    }
}
