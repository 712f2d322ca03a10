import Glibc

/// SIGTERM and SIGINT, held pending until ``wait()`` takes one.
///
/// Made before any other thread starts: threads inherit the blocked mask, so no thread
/// can take a signal's default action and each waits for `sigwait(3)`. (With a Dispatch
/// signal source instead, one SIGTERM in about a dozen runs killed the process with
/// status 143 rather than letting it exit cleanly.)
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
