import Testing

@testable import SeatSync

@Suite struct PassScheduleTests {
    typealias Instant = ContinuousClock.Instant

    static let settings = ScheduleSettings(
        interval: .seconds(300),
        jitter: .seconds(30),
        debounce: .seconds(2),
        stopGrace: .seconds(30),
        passTimeout: .seconds(3600)
    )
    let t0 = ContinuousClock.now

    /// A schedule that ran its startup pass from `t0` to `t0 + duration` and drew `jitterSample`.
    func afterFirstPass(lasting duration: Duration = .seconds(1), jitterSample: Double = 0) -> PassSchedule {
        var schedule = PassSchedule(settings: Self.settings, now: t0)
        #expect(schedule.startPassIfDue(now: t0) == .startup)
        schedule.passFinished(now: t0 + duration, jitterSample: jitterSample)
        return schedule
    }

    @Test func theFirstPassIsDueAtOnceAndNoSecondStartsWhileItRuns() {
        // Input: a fresh schedule; the timer fires at start and again 10 minutes into the pass.
        // Expected: the startup pass starts; no other pass starts while it runs.
        var schedule = PassSchedule(settings: Self.settings, now: t0)
        #expect(schedule.phase == .waiting(at: t0, reason: .startup))
        #expect(schedule.startPassIfDue(now: t0) == .startup)
        #expect(schedule.startPassIfDue(now: t0 + .seconds(600)) == nil)
        #expect(schedule.phase == .running(followUp: false))
    }

    @Test(arguments: [
        // (pass duration, jitter sample, next pass after t0)
        (Duration.seconds(1), 0.0, Duration.seconds(301)),
        (.seconds(1), 0.5, .seconds(316)),
        // A pass longer than the interval delays the next one: it counts from the end, not the start.
        (.seconds(900), 0.0, .seconds(1200)),
    ])
    func theNextPassIsAnIntervalPlusJitterAfterTheLastEnded(duration: Duration, sample: Double, next: Duration) {
        let schedule = afterFirstPass(lasting: duration, jitterSample: sample)
        #expect(schedule.phase == .waiting(at: t0 + next, reason: .interval))
    }

    @Test func aTimerFiringEarlyStartsNothing() {
        // Input: the timer fires one millisecond before the planned pass. Expected: no pass; the plan stays.
        var schedule = afterFirstPass()
        let due = t0 + .seconds(301)
        #expect(schedule.startPassIfDue(now: due - .milliseconds(1)) == nil)
        #expect(schedule.phase == .waiting(at: due, reason: .interval))
        #expect(schedule.startPassIfDue(now: due) == .interval)
    }

    @Test func aReplacedFileBringsThePassForwardAndFurtherChangesPushItBack() {
        // Input: a change 10 s after the pass, another 1 s later.
        // Expected: the pass moves to debounce (2 s) after the first change, then to 2 s after the second.
        var schedule = afterFirstPass()
        schedule.sourceChanged(now: t0 + .seconds(11))
        #expect(schedule.phase == .waiting(at: t0 + .seconds(13), reason: .sourceChanged))
        schedule.sourceChanged(now: t0 + .seconds(12))
        #expect(schedule.phase == .waiting(at: t0 + .seconds(14), reason: .sourceChanged))
        #expect(schedule.startPassIfDue(now: t0 + .seconds(14)) == .sourceChanged)
    }

    @Test func changesNeverPushThePassPastTheRegularOne() {
        // Input: a change 1 s before the regular pass (debounce 2 s). Expected: the regular pass keeps its time.
        var schedule = afterFirstPass()
        schedule.sourceChanged(now: t0 + .seconds(300))
        #expect(schedule.phase == .waiting(at: t0 + .seconds(301), reason: .interval))
    }

    @Test func aChangeDuringAPassAsksForOneFollowUpPass() {
        // Input: two changes while the second pass runs; it ends at t0 + 320 s.
        // Expected: one pass debounce after that end, before the regular one.
        var schedule = afterFirstPass()
        #expect(schedule.startPassIfDue(now: t0 + .seconds(301)) == .interval)
        schedule.sourceChanged(now: t0 + .seconds(305))
        schedule.sourceChanged(now: t0 + .seconds(306))
        #expect(schedule.phase == .running(followUp: true))
        schedule.passFinished(now: t0 + .seconds(320), jitterSample: 0)
        #expect(schedule.phase == .waiting(at: t0 + .seconds(322), reason: .sourceChanged))
        #expect(schedule.startPassIfDue(now: t0 + .seconds(322)) == .sourceChanged)
        schedule.passFinished(now: t0 + .seconds(323), jitterSample: 0)
        #expect(schedule.phase == .waiting(at: t0 + .seconds(623), reason: .interval))
    }

    @Test func aChangeBeforeTheFirstPassLeavesTheStartupPass() {
        // Input: a change before the startup pass ran. Expected: the startup pass, due at once, reads it anyway.
        var schedule = PassSchedule(settings: Self.settings, now: t0)
        schedule.sourceChanged(now: t0)
        #expect(schedule.phase == .waiting(at: t0, reason: .startup))
    }

    @Test func reloadedSettingsMoveAWaitingRegularPass() {
        // Input: interval 5m -> 1m while waiting, after a pass that ended at t0 + 1 s with jitter sample 0.5.
        // Expected: the next pass at end + 1m + half the new jitter (10 s), not the old 5m.
        var schedule = afterFirstPass(jitterSample: 0.5)
        var reloaded = Self.settings
        reloaded.interval = .seconds(60)
        reloaded.jitter = .seconds(20)
        schedule.update(reloaded)
        #expect(schedule.phase == .waiting(at: t0 + .seconds(71), reason: .interval))
    }

    @Test func reloadedSettingsLeaveADebouncedPass() {
        // Input: a reload while a pass triggered by a replaced file waits. Expected: that pass keeps its time.
        var schedule = afterFirstPass()
        schedule.sourceChanged(now: t0 + .seconds(11))
        schedule.update(ScheduleSettings(interval: .seconds(60), jitter: .zero))
        #expect(schedule.phase == .waiting(at: t0 + .seconds(13), reason: .sourceChanged))
    }

    @Test(arguments: [false, true])
    func stoppingEndsPlanningAndSaysWhetherAPassIsStillRunning(passRunning: Bool) {
        // Input: stop while waiting, or while a pass runs; then a replaced file and a due timer.
        // Expected: stop reports the running pass; nothing starts or gets planned afterwards.
        var schedule = afterFirstPass()
        if passRunning { #expect(schedule.startPassIfDue(now: t0 + .seconds(301)) == .interval) }
        #expect(schedule.stop() == passRunning)
        schedule.sourceChanged(now: t0 + .seconds(400))
        schedule.passFinished(now: t0 + .seconds(401), jitterSample: 0)
        #expect(schedule.phase == .stopped)
        #expect(schedule.startPassIfDue(now: t0 + .seconds(10_000)) == nil)
    }
}
