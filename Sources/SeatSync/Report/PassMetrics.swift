package import Foundation

/// The figures of one finished pass that a monitoring system alerts on, written by ``MetricsTextfile``.
package struct PassMetrics: Sendable, Hashable {
    /// How many customers of the pass ended in each outcome. A customer can count in several (written and held).
    package struct Customers: Sendable, Hashable {
        package var inSync: Int
        package var changed: Int
        package var failed: Int
        package var held: Int
        package var pending: Int

        package init(inSync: Int = 0, changed: Int = 0, failed: Int = 0, held: Int = 0, pending: Int = 0) {
            self.inSync = inSync
            self.changed = changed
            self.failed = failed
            self.held = held
            self.pending = pending
        }
    }

    /// When the pass ended.
    package var finishedAt: Date
    /// Whether the pass did what it was meant to.
    package var success: Bool
    package var duration: Duration
    package var customers: Customers
    /// Seats the guard holds back from removal, awaiting approval.
    package var seatsHeld: Int
    /// Seats Commet accepted to remove but has not removed yet (it does at the end of the billing period).
    package var seatsPending: Int
    /// How long the oldest decrease still held has been held; `nil` when none is.
    package var oldestHoldAge: Duration?
    /// How long the oldest decrease still pending has been pending; `nil` when none is.
    package var oldestPendingAge: Duration?
    package var exitCode: PassExitCode

    package init(
        finishedAt: Date,
        success: Bool,
        duration: Duration,
        customers: Customers,
        seatsHeld: Int,
        seatsPending: Int,
        oldestHoldAge: Duration?,
        oldestPendingAge: Duration?,
        exitCode: PassExitCode
    ) {
        self.finishedAt = finishedAt
        self.success = success
        self.duration = duration
        self.customers = customers
        self.seatsHeld = seatsHeld
        self.seatsPending = seatsPending
        self.oldestHoldAge = oldestHoldAge
        self.oldestPendingAge = oldestPendingAge
        self.exitCode = exitCode
    }
}
