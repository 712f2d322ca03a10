import Dispatch
import Glibc

/// Blocks the caller until one of the given signals arrives.
///
/// The signal sources are made here, outside `@main`'s main-actor code, because a handler
/// closure created there is main-actor isolated and traps when Dispatch runs it elsewhere.
final class SignalWaiter {
    private let sources: [any DispatchSourceSignal]
    private let arrived = DispatchSemaphore(value: 0)

    init(signals: [Int32]) {
        let arrived = self.arrived
        sources = signals.map { number in
            signal(number, SIG_IGN)
            let source = DispatchSource.makeSignalSource(signal: number, queue: .global())
            source.setEventHandler { arrived.signal() }
            source.resume()
            return source
        }
    }

    func wait() {
        arrived.wait()
    }
}
