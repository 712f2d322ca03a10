package import Dispatch

/// The one clock the daemon reads: the time its schedule, pass timeout, stop grace and watchdog count from, and the
/// wake-ups that call it back on its queue when one of them comes due.
///
/// The service runs on ``SystemDaemonClock``; a test gives the daemon a clock it moves itself, so that an interval,
/// a grace or a timeout is crossed when the test says, not when a loaded machine gets round to it.
package protocol DaemonClock: Sendable {
    /// The current instant.
    var now: ContinuousClock.Instant { get }

    /// A wake-up, disarmed until ``DaemonWakeUp/arm(at:repeating:)``.
    /// - Parameters:
    ///   - queue: the serial queue `handler` runs on.
    ///   - handler: called each time the wake-up comes due.
    /// - Returns: the wake-up; it fires only while something keeps it.
    func makeWakeUp(on queue: DispatchQueue, handler: @escaping @Sendable () -> Void) -> any DaemonWakeUp
}

/// A timer on the daemon's queue. Arming it again replaces the instant it was armed at.
package protocol DaemonWakeUp: AnyObject, Sendable {
    /// Calls the handler at `instant` (as soon as possible when it has passed), then every `interval` when given.
    func arm(at instant: ContinuousClock.Instant, repeating interval: Duration?)

    /// Calls the handler no more until armed again.
    func disarm()

    /// Calls the handler never again.
    func cancel()
}

extension DaemonWakeUp {
    /// Calls the handler once, at `instant` (as soon as possible when it has passed).
    package func arm(at instant: ContinuousClock.Instant) {
        arm(at: instant, repeating: nil)
    }
}

/// The clock the service runs on: `ContinuousClock` for the time, a `DispatchSourceTimer` for each wake-up.
package struct SystemDaemonClock: DaemonClock {
    package init() {}

    package var now: ContinuousClock.Instant { .now }

    package func makeWakeUp(on queue: DispatchQueue, handler: @escaping @Sendable () -> Void) -> any DaemonWakeUp {
        DispatchWakeUp(queue: queue, handler: handler)
    }
}

/// A wake-up on a `DispatchSourceTimer`.
///
/// `@unchecked Sendable`: Dispatch sources carry no `Sendable` conformance, though libdispatch lets any thread
/// schedule or cancel them.
private final class DispatchWakeUp: DaemonWakeUp, @unchecked Sendable {
    private let timer: any DispatchSourceTimer

    init(queue: DispatchQueue, handler: @escaping @Sendable () -> Void) {
        timer = DispatchSource.makeTimerSource(queue: queue)
        timer.setEventHandler(handler: handler)
        // Resumed at once, pointing nowhere: libdispatch traps when a source is released while suspended.
        timer.schedule(deadline: .distantFuture)
        timer.resume()
    }

    func arm(at instant: ContinuousClock.Instant, repeating interval: Duration?) {
        let deadline = Self.dispatchTime(instant)
        if let interval {
            timer.schedule(deadline: deadline, repeating: Self.dispatchInterval(interval))
        } else {
            timer.schedule(deadline: deadline)
        }
    }

    func disarm() {
        timer.schedule(deadline: .distantFuture)
    }

    func cancel() {
        timer.cancel()
    }

    /// `instant` on Dispatch's clock, which counts from another origin: the wait is carried over, not the instant.
    private static func dispatchTime(_ instant: ContinuousClock.Instant) -> DispatchTime {
        .now() + dispatchInterval(max(.zero, instant - .now))
    }

    private static func dispatchInterval(_ duration: Duration) -> DispatchTimeInterval {
        let (seconds, attoseconds) = duration.components
        return .nanoseconds(Int(seconds) * 1_000_000_000 + Int(attoseconds / 1_000_000_000))
    }
}
