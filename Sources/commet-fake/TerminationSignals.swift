import Glibc

/// SIGTERM and SIGINT, held pending until ``wait()`` takes one.
///
/// Made before any other thread starts: threads inherit the blocked mask, so the signals
/// can reach no thread's default action and wait for `sigwait(3)`. (A Dispatch signal
/// source blocks them only on its own thread; a signal delivered to another one killed
/// the process with status 143 instead of a clean exit.)
struct TerminationSignals {
    private var signals = sigset_t()

    init() {
        sigemptyset(&signals)
        sigaddset(&signals, SIGTERM)
        sigaddset(&signals, SIGINT)
        pthread_sigmask(SIG_BLOCK, &signals, nil)
    }

    /// Blocks until SIGTERM or SIGINT arrives.
    func wait() {
        var signals = signals
        var received: Int32 = 0
        sigwait(&signals, &received)
    }
}
