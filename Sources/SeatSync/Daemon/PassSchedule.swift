/// When the daemon's next pass starts: the loop's decisions as a value, apart from timers, signals and clocks.
///
/// Passes never overlap. The next regular pass is planned when one ends, `interval` plus a random part of
/// `jitter` later, so a long pass delays the next one instead of piling passes up. A replaced source file
/// brings the next pass forward to `debounce` after the change (each further change pushes it back, never past
/// the regular pass); a change during a pass asks for one follow-up pass, `debounce` after that pass ends.
struct PassSchedule: Sendable {
    typealias Instant = ContinuousClock.Instant

    /// Why a pass starts.
    enum Reason: String, Sendable, Hashable {
        case startup
        case interval
        case sourceChanged = "source changed"
    }

    enum Phase: Sendable, Hashable {
        /// No pass runs; the next starts at `at`.
        case waiting(at: Instant, reason: Reason)
        /// A pass runs; `followUp` when a source changed during it.
        case running(followUp: Bool)
        /// Stopping or stopped: no pass starts any more.
        case stopped
    }

    private(set) var settings: ScheduleSettings
    private(set) var phase: Phase
    /// When the last pass ended, and the jitter fraction drawn for the pass after it; `nil` before the first.
    private var lastEnd: (at: Instant, jitterSample: Double)?

    /// A schedule whose first pass is due at `now`.
    init(settings: ScheduleSettings, now: Instant) {
        self.settings = settings
        phase = .waiting(at: now, reason: .startup)
    }

    /// The next regular pass after the last one ended.
    private var regularPass: Instant? {
        lastEnd.map { $0.at + settings.interval + settings.jitter * $0.jitterSample }
    }

    /// Starts a pass if one is due (the timer fired).
    /// - Returns: why the pass starts, or `nil` when none is due (a pass runs, the schedule moved, or stopped).
    mutating func startPassIfDue(now: Instant) -> Reason? {
        guard case .waiting(let at, let reason) = phase, now >= at else { return nil }
        phase = .running(followUp: false)
        return reason
    }

    /// Plans the next pass after the one running ended.
    /// - Parameter jitterSample: a random fraction in `0..<1` of `jitter` to add to the interval.
    mutating func passFinished(now: Instant, jitterSample: Double) {
        guard case .running(let followUp) = phase else { return }
        lastEnd = (now, jitterSample)
        let regular = regularPass ?? now
        if followUp {
            phase = .waiting(at: min(regular, now + settings.debounce), reason: .sourceChanged)
        } else {
            phase = .waiting(at: regular, reason: .interval)
        }
    }

    /// A source file was replaced: the next pass comes soon, or one follows the pass running.
    mutating func sourceChanged(now: Instant) {
        switch phase {
        case .waiting(let at, let reason):
            // Before the first pass the startup pass is due anyway and will read the new file.
            guard let regular = regularPass else { return }
            let soon = now + settings.debounce
            phase = soon < regular ? .waiting(at: soon, reason: .sourceChanged) : .waiting(at: at, reason: reason)
        case .running:
            phase = .running(followUp: true)
        case .stopped:
            break
        }
    }

    /// Takes reloaded settings: a waiting regular pass moves to the new interval, counted from the last pass.
    mutating func update(_ settings: ScheduleSettings) {
        self.settings = settings
        guard case .waiting(_, .interval) = phase, let regular = regularPass else { return }
        phase = .waiting(at: regular, reason: .interval)
    }

    /// Stops planning passes.
    /// - Returns: whether a pass is still running, which the caller must wait for.
    mutating func stop() -> Bool {
        defer { phase = .stopped }
        if case .running = phase { return true }
        return false
    }
}
