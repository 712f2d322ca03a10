import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// Signals caught by a handler that writes each one's number to a pipe, so the daemon reads them on its queue
/// like any other event.
///
/// A handler rather than blocking the signals for `sigwait(3)`: under an async `main`, the main thread ends in
/// libdispatch's `sigsuspend` with every signal unblocked, so a signal blocked everywhere else takes its default
/// action there and ends the process, possibly in the middle of a write. A handler runs on whichever thread the
/// kernel picks. It is installed right after the command line is parsed, before anything else starts, and a
/// signal that comes before the daemon reads the pipe waits in it instead of being lost.
package struct SignalPipe: Sendable {
    /// The read end: non-blocking, one byte per signal caught.
    let readEnd: Int32

    private static let installed = Mutex<SignalPipe?>(nil)

    /// Installs the handler for `signals` (once per process; later calls return the same pipe).
    /// - Parameter signals: signal numbers such as `SIGTERM`.
    /// - Returns: the pipe the handler writes to.
    @discardableResult
    package static func install(_ signals: [Int32]) -> SignalPipe {
        installed.withLock { installed in
            if let installed { return installed }
            var ends: [Int32] = [-1, -1]
            guard pipe(&ends) == 0 else {
                // Without a pipe the signals keep their default action: SIGTERM still ends the process.
                return SignalPipe(readEnd: -1)
            }
            // Non-blocking on both ends: the handler must never wait on a full pipe, the reader never on an empty one.
            for end in ends {
                _ = fcntl(end, F_SETFD, FD_CLOEXEC)
                _ = fcntl(end, F_SETFL, fcntl(end, F_GETFL) | O_NONBLOCK)
            }
            signalWriteEnd.store(ends[1], ordering: .releasing)
            for signal in signals {
                var action = sigaction()
                action.__sigaction_handler.sa_handler = forwardSignal
                action.sa_flags = SA_RESTART
                sigemptyset(&action.sa_mask)
                sigaction(signal, &action, nil)
            }
            let pipe = SignalPipe(readEnd: ends[0])
            installed = pipe
            return pipe
        }
    }

    /// Takes every signal waiting in the pipe, oldest first.
    func drain() -> [Int32] {
        var signals: [Int32] = []
        var buffer = [UInt8](repeating: 0, count: 64)
        while true {
            let count = read(readEnd, &buffer, buffer.count)
            guard count > 0 else { break }
            signals += buffer[0..<count].map(Int32.init)
        }
        return signals
    }
}

/// The pipe's write end, for the handler: an atomic global is all a signal handler may safely read.
private let signalWriteEnd = Atomic<Int32>(-1)

/// The signal handler: only async-signal-safe calls, and `errno` left as the interrupted code had it.
private func forwardSignal(_ signal: Int32) {
    let saved = errno
    var byte = UInt8(truncatingIfNeeded: signal)
    _ = write(signalWriteEnd.load(ordering: .acquiring), &byte, 1)
    errno = saved
}
