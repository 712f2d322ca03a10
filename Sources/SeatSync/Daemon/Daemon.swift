import CommetSeats
import Foundation
package import Logging
import SeatSources

/// The long-running `seat-sync`: a pass at start and then every `schedule.interval`, one at a time, a pass soon
/// after a source file is replaced, SIGHUP reloading the config and SIGTERM/SIGINT ending it cleanly, with
/// systemd told about each step.
///
/// Every piece of state belongs to one serial queue: timers, the source watcher, signal and pass completions
/// all run there, which is what keeps two passes from ever starting together; each method that touches that state
/// checks it runs there. Passes themselves run as tasks off the queue, so it stays free to take a signal or a
/// reload while one runs. All time comes from one ``DaemonClock``.
package final class Daemon: @unchecked Sendable {
    /// Loads the config, the API key and a client again, for a reload.
    package typealias SetupLoader = @Sendable () throws -> SyncSetup

    /// The signals the daemon handles: SIGTERM and SIGINT stop it, SIGHUP reloads the config.
    package static let signals: [Int32] = [SIGTERM, SIGINT, SIGHUP]

    /// How long a pass cancelled at shutdown may take to end before the daemon exits without it.
    static let cancelledPassLimit: Duration = .seconds(10)

    let queue = DispatchQueue(label: "seat-sync.daemon")
    let clock: any DaemonClock
    let logger: Logger
    let sink: LogSink
    let notifier: SystemdNotifier
    let loadSetup: SetupLoader
    var setup: SyncSetup
    var schedule: PassSchedule
    var running: RunningPass?
    var stopping = false
    private var lock: InstanceLock?
    private var watcher: SourceWatcher?
    private var watchedPaths: [String]?
    /// Why the last reload was refused, until a reload succeeds: systemd's status says so meanwhile.
    var reloadRefusal: String?
    private let readsSignals: Bool
    private lazy var passTimer = clock.makeWakeUp(on: queue) { [weak self] in self?.passTimerFired() }
    /// Fires at the running pass's timeout, at the end of the stop grace, or when a cancelled pass overstays.
    lazy var deadlineTimer = clock.makeWakeUp(on: queue) { [weak self] in self?.deadlineReached() }
    private var watchdogTimer: (any DaemonWakeUp)?
    private var watchdogProbeInFlight = false
    private var signalSource: (any DispatchSourceRead)?
    private var lastReport: PassReport?
    private var exitCode: CheckedContinuation<Int32, Never>?

    /// The pass in flight.
    struct RunningPass {
        var task: Task<Void, Never>
        /// When it counts as hung: `schedule.pass_timeout` after it started.
        var timeoutAt: ContinuousClock.Instant
        /// Whether it was cancelled, by the timeout, the stop grace or a second stop signal.
        var cancelled = false
    }

    /// Catches the daemon's signals from now on, holding them until the daemon runs. Call it first thing in
    /// `main`, so that none can take its default action and end the process in the middle of a write.
    package static func catchSignals() {
        SignalPipe.install(signals)
    }

    /// - Parameters:
    ///   - setup: the config and client loaded at start.
    ///   - environment: the process environment, for systemd's `NOTIFY_SOCKET` and `WATCHDOG_USEC`.
    ///   - logger: receives the daemon's lines and every pass's.
    ///   - sink: the log sink, whose redaction also covers what is sent to systemd.
    ///   - clock: the time the schedule, the pass timeout, the stop grace and the watchdog count in.
    ///   - readsSignals: whether the caught signals reach it; a daemon run inside tests takes them through
    ///     ``receive(_:)`` instead, leaving the test process's own signals alone.
    ///   - reload: loads the config, key and client again on SIGHUP.
    package init(
        setup: SyncSetup,
        environment: [String: String],
        logger: Logger,
        sink: LogSink,
        clock: any DaemonClock = SystemDaemonClock(),
        readsSignals: Bool = true,
        reload: @escaping SetupLoader
    ) {
        self.setup = setup
        self.logger = logger
        self.sink = sink
        self.clock = clock
        self.readsSignals = readsSignals
        self.loadSetup = reload
        notifier = SystemdNotifier(environment: environment)
        schedule = PassSchedule(settings: setup.config.schedule, now: clock.now)
    }

    /// Runs until SIGTERM or SIGINT, or until it cannot start.
    /// - Returns: the exit status: 0 after a clean stop, 1 when the instance lock is held by another seat-sync
    ///   or a pass would not end after being cancelled.
    package func run() async -> Int32 {
        await withCheckedContinuation { continuation in
            queue.async { self.start(exitingWith: continuation) }
        }
    }

    private func start(exitingWith continuation: CheckedContinuation<Int32, Never>) {
        dispatchPrecondition(condition: .onQueue(queue))
        exitCode = continuation
        let config = setup.config
        do {
            lock = try InstanceLock(stateDirectory: config.stateDirectory)
        } catch {
            logger.error("cannot start", metadata: ["error": "\(error)", "next": "\(error.next)"])
            finish(exitCode: 1)
            return
        }
        watchSources()
        var started = describe(config)
        started["pid"] = "\(getpid())"
        started["version"] = "\(CommetSeats.version)"
        logger.info("daemon started", metadata: started)
        notifier.ready(status: "started; first pass running")
        startWatchdog()
        if readsSignals { readSignals() }
        armPassTimer()
    }

    /// The config values an operator checks first, for the start and reload lines.
    func describe(_ config: SeatSyncConfig) -> Logger.Metadata {
        let schedule = config.schedule
        return [
            "config": "\(config.file)",
            "state_dir": "\(config.stateDirectory)",
            "sources": "\(config.sourceDefinitions.map(\.settings.name).joined(separator: ","))",
            "interval": "\(DurationText.format(schedule.interval))",
            "jitter": "\(DurationText.format(schedule.jitter))",
            "debounce": "\(DurationText.format(schedule.debounce))",
            "watchdog": "\(notifier.watchdogInterval.map(DurationText.format) ?? "off")",
        ]
    }

    // MARK: Passes

    private func passTimerFired() {
        dispatchPrecondition(condition: .onQueue(queue))
        let now = clock.now
        guard let reason = schedule.startPassIfDue(now: now) else {
            armPassTimer()
            return
        }
        logger.debug("pass due", metadata: ["trigger": "\(reason.rawValue)"])
        let reconciler = setup.reconciler(logger: logger)
        // A pass a replaced file or an approval brings forward writes what changed without waiting for the
        // slice of unchanged customers; the regular passes read that slice.
        let scope = PassOptions.Scope.incremental(slice: reason != .sourceChanged)
        let task = Task { [queue] in
            let report = await reconciler.runPass(PassOptions(runner: .daemon, scope: scope))
            queue.async { self.passFinished(report) }
        }
        let timeoutAt = now + setup.config.schedule.passTimeout
        running = RunningPass(task: task, timeoutAt: timeoutAt)
        deadlineTimer.arm(at: timeoutAt)
    }

    private func passFinished(_ report: PassReport) {
        dispatchPrecondition(condition: .onQueue(queue))
        running = nil
        deadlineTimer.disarm()
        lastReport = report
        // The pass's readings are gone; an idle daemon should not hold their memory until the next one.
        FreedMemory.release()
        notifier.status(statusText)
        guard !stopping else {
            finish(exitCode: 0)
            return
        }
        let now = clock.now
        schedule.passFinished(now: now, jitterSample: Double.random(in: 0..<1))
        armPassTimer()
        logNextPass(plannedAt: now)
    }

    /// Points the pass timer at the next planned pass.
    func armPassTimer() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard case .waiting(let at, _) = schedule.phase else {
            passTimer.disarm()
            return
        }
        passTimer.arm(at: at)
    }

    /// Says when the next pass starts and why, once the schedule changed at `plannedAt`.
    func logNextPass(plannedAt now: ContinuousClock.Instant) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard case .waiting(let at, let reason) = schedule.phase else { return }
        let wait = Duration.milliseconds(Int64((max(.zero, at - now) / .milliseconds(1)).rounded()))
        logger.info(
            "next pass scheduled",
            metadata: ["in": "\(DurationText.format(wait))", "trigger": "\(reason.rawValue)"]
        )
    }

    /// The pass in flight ran out of time: its timeout, the stop grace, or the limit after cancelling it.
    private func deadlineReached() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let pass = running else { return }
        guard !pass.cancelled else {
            guard stopping else { return }
            logger.error(
                "the cancelled pass did not end; exiting without it",
                metadata: [
                    "waited": "\(DurationText.format(Self.cancelledPassLimit))",
                    "next": "the next start reads every balance again; a write cut off landed whole or not at all",
                ]
            )
            finish(exitCode: 1)
            return
        }
        if stopping {
            logger.warning(
                "stop grace over; cancelling the pass in flight",
                metadata: [
                    "stop_grace": "\(DurationText.format(setup.config.schedule.stopGrace))",
                    "next": "customers not written yet are written by the first pass after the restart",
                ]
            )
        } else {
            logger.error(
                "pass running longer than schedule.pass_timeout; cancelling it",
                metadata: [
                    "pass_timeout": "\(DurationText.format(setup.config.schedule.passTimeout))",
                    "next": """
                    customers not written yet are written by the next pass; \
                    the systemd watchdog is not pinged until this pass ends
                    """,
                ]
            )
        }
        cancelPass()
    }

    /// Cancels the pass: its requests in flight are cut off (each customer's setAll is atomic on Commet's side)
    /// and no customer starts after it.
    func cancelPass() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard var pass = running else { return }
        pass.task.cancel()
        pass.cancelled = true
        running = pass
        if stopping {
            deadlineTimer.arm(at: clock.now + Self.cancelledPassLimit)
        } else {
            deadlineTimer.disarm()
        }
    }

    /// What `systemctl status` shows: the last pass's outcome and totals.
    var statusText: String {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let report = lastReport else {
            return reloadRefusal.map { "reload refused, previous config kept: \($0); first pass running" }
                ?? "started; first pass running"
        }
        let finished = Date(timeInterval: report.duration.timeInterval, since: report.startedAt)
        let outcome: String
        switch report.exitCode {
        case .success, .changesPending: outcome = "ok"
        case .decreasesHeld: outcome = "changes held by the guard (seat-sync held)"
        case .failure: outcome = report.abortReason.map { "aborted: \($0)" } ?? "failures"
        }
        let time = finished.formatted(Date.ISO8601FormatStyle())
        let refusal = reloadRefusal.map { "reload refused, previous config kept: \($0); " } ?? ""
        return sink.redacting("\(refusal)last pass \(time): \(outcome); \(PlanRenderer.totals(report))")
    }

    /// Ends `run()`.
    func finish(exitCode code: Int32) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let exitCode else { return }
        self.exitCode = nil
        passTimer.cancel()
        deadlineTimer.cancel()
        watchdogTimer?.cancel()
        watcher = nil
        if code == 0 {
            logger.info("stopped", metadata: ["exit_code": "0"])
        } else {
            logger.error("stopped", metadata: ["exit_code": "\(code)"])
        }
        exitCode.resume(returning: code)
    }

    // MARK: Sources

    /// Watches the configured source files, anew when a reload changed them; a command source has no file to watch
    /// and is run on every pass.
    /// The state folder is watched too, for approvals from `seat-sync approve`.
    func watchSources() {
        dispatchPrecondition(condition: .onQueue(queue))
        let paths = setup.config.sourceDefinitions.filter { $0.settings.command == nil }.map(\.settings.path)
        guard paths != watchedPaths else { return }
        watcher = nil
        watchedPaths = nil
        let approvals = SourceWatcher.Arrivals(folder: setup.config.stateDirectory, prefix: ApprovalStore.prefix)
        do {
            watcher = try SourceWatcher(paths: paths, arrivals: [approvals], queue: queue) { [weak self] path in
                self?.sourceChanged(path)
            }
            watchedPaths = paths
        } catch {
            logger.warning(
                "cannot watch the source files",
                metadata: ["error": "\(error)", "next": "passes run every interval only; replaced files wait for it"]
            )
        }
    }

    private func sourceChanged(_ path: String) {
        dispatchPrecondition(condition: .onQueue(queue))
        guard !stopping else { return }
        let now = clock.now
        schedule.sourceChanged(now: now)
        let what =
            (path as NSString).lastPathComponent.hasPrefix(ApprovalStore.prefix)
            ? "approval arrived" : "source file replaced"
        if running != nil {
            logger.info(
                "\(what) during a pass",
                metadata: ["file": "\(path)", "next": "another pass follows this one"]
            )
        } else {
            logger.info("\(what)", metadata: ["file": "\(path)"])
            armPassTimer()
            logNextPass(plannedAt: now)
        }
    }

    // MARK: systemd watchdog

    private func startWatchdog() {
        dispatchPrecondition(condition: .onQueue(queue))
        guard let interval = notifier.watchdogInterval else { return }
        let timer = clock.makeWakeUp(on: queue) { [weak self] in self?.watchdogTick() }
        timer.arm(at: clock.now, repeating: interval / 2)
        watchdogTimer = timer
    }

    /// Pings systemd, unless the pass in flight is over its timeout: a daemon stuck in one gets restarted.
    ///
    /// The ping goes out only after a round trip through the task pool that runs passes and back to this
    /// queue, so it proves both still answer; a timer alone would keep pinging from a stuck process.
    private func watchdogTick() {
        dispatchPrecondition(condition: .onQueue(queue))
        if let running, clock.now >= running.timeoutAt { return }
        guard !watchdogProbeInFlight else { return }
        watchdogProbeInFlight = true
        Task { [queue] in
            queue.async {
                self.watchdogProbeInFlight = false
                self.notifier.watchdog()
            }
        }
    }

    // MARK: Signals

    /// Acts on the signals caught so far, and on each one caught from now on, in order, on the queue.
    private func readSignals() {
        dispatchPrecondition(condition: .onQueue(queue))
        let pipe = SignalPipe.install(Self.signals)
        guard pipe.readEnd >= 0 else {
            logger.warning(
                "cannot catch signals",
                metadata: ["next": "SIGTERM and SIGINT end seat-sync at once; SIGHUP ends it instead of reloading"]
            )
            return
        }
        let source = DispatchSource.makeReadSource(fileDescriptor: pipe.readEnd, queue: queue)
        source.setEventHandler { [weak self] in
            for signal in pipe.drain() { self?.received(signal) }
        }
        source.resume()
        signalSource = source
    }
}
