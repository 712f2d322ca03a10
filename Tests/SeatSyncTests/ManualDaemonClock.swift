import Dispatch
import SeatSync
import Synchronization

/// A daemon clock that stands still until the test advances it.
///
/// A wake-up armed at an instant already reached fires at once, on its queue, as a Dispatch timer does;
/// ``advance(by:)`` moves the time to each wake-up that comes due, earliest first, and returns once every one of
/// them has run on its queue, so what the daemon did at those instants is done when the test looks.
final class ManualDaemonClock: DaemonClock {
    typealias Instant = ContinuousClock.Instant

    private struct Alarm: Equatable {
        var at: Instant
        var interval: Duration?
        /// Which arming this is, counted across the clock: a firing queued for an earlier one does nothing, and of
        /// two wake-ups due at the same instant the one armed first fires first.
        var arming: Int
    }

    private struct WakeUp {
        let queue: DispatchQueue
        let handler: @Sendable () -> Void
        var alarm: Alarm?
    }

    private struct State {
        var now: Instant
        var wakeUps: [Int: WakeUp] = [:]
        var madeWakeUps = 0
        var armings = 0
    }

    private let state: Mutex<State>

    init(start: Instant = .now) {
        state = Mutex(State(now: start))
    }

    var now: Instant { state.withLock { $0.now } }

    func makeWakeUp(on queue: DispatchQueue, handler: @escaping @Sendable () -> Void) -> any DaemonWakeUp {
        let id = state.withLock { state in
            state.madeWakeUps += 1
            state.wakeUps[state.madeWakeUps] = WakeUp(queue: queue, handler: handler)
            return state.madeWakeUps
        }
        return ManualWakeUp(clock: self, id: id)
    }

    /// Moves the time on by `duration`, firing every wake-up that comes due on the way.
    func advance(by duration: Duration) async {
        let target = now + duration
        while let (queue, id, alarm) = nextDue(upTo: target) {
            await withCheckedContinuation { continuation in
                queue.async {
                    self.fire(id, alarm)
                    continuation.resume()
                }
            }
        }
        state.withLock { $0.now = max($0.now, target) }
    }

    /// The earliest wake-up due by `target`, with the time moved to it.
    private func nextDue(upTo target: Instant) -> (DispatchQueue, Int, Alarm)? {
        state.withLock { state in
            let due = state.wakeUps.compactMap { id, wakeUp in
                wakeUp.alarm.flatMap { $0.at <= target ? (id, wakeUp.queue, $0) : nil }
            }
            guard let (id, queue, alarm) = due.min(by: { ($0.2.at, $0.2.arming) < ($1.2.at, $1.2.arming) }) else {
                return nil
            }
            state.now = max(state.now, alarm.at)
            return (queue, id, alarm)
        }
    }

    /// Runs a wake-up's handler, on its queue, if it is still armed as it was when the firing was queued.
    private func fire(_ id: Int, _ alarm: Alarm) {
        let handler: (@Sendable () -> Void)? = state.withLock { state in
            guard let wakeUp = state.wakeUps[id], wakeUp.alarm == alarm else { return nil }
            state.wakeUps[id]?.alarm = alarm.interval.map {
                Alarm(at: alarm.at + $0, interval: $0, arming: alarm.arming)
            }
            return wakeUp.handler
        }
        handler?()
    }

    fileprivate func arm(_ id: Int, at instant: Instant, repeating interval: Duration?) {
        let dueNow: (DispatchQueue, Alarm)? = state.withLock { state in
            guard let wakeUp = state.wakeUps[id] else { return nil }
            state.armings += 1
            let alarm = Alarm(at: instant, interval: interval, arming: state.armings)
            state.wakeUps[id]?.alarm = alarm
            return instant <= state.now ? (wakeUp.queue, alarm) : nil
        }
        guard let (queue, alarm) = dueNow else { return }
        queue.async { self.fire(id, alarm) }
    }

    fileprivate func disarm(_ id: Int) {
        state.withLock { $0.wakeUps[id]?.alarm = nil }
    }

    fileprivate func cancel(_ id: Int) {
        state.withLock { _ = $0.wakeUps.removeValue(forKey: id) }
    }
}

/// A wake-up of a ``ManualDaemonClock``: its state lives in the clock, which fires it.
private final class ManualWakeUp: DaemonWakeUp {
    let clock: ManualDaemonClock
    let id: Int

    init(clock: ManualDaemonClock, id: Int) {
        self.clock = clock
        self.id = id
    }

    func arm(at instant: ContinuousClock.Instant, repeating interval: Duration?) {
        clock.arm(id, at: instant, repeating: interval)
    }

    func disarm() { clock.disarm(id) }

    func cancel() { clock.cancel(id) }
}
