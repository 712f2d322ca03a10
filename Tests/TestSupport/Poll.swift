import Foundation

/// Polls `condition` every 20 ms until it holds: the one way the tests wait for something, never a fixed sleep.
/// - Parameters:
///   - what: what is awaited, for the failure.
///   - patience: the most to wait; generous, since a loaded machine may be slow: beside four CPU-bound
///     processes the whole test process once made no progress for about 20 s.
///   - output: what to show when it never holds, such as the daemon's log.
/// - Throws: ``PollTimeout`` when `condition` does not hold within `patience`.
package func poll(
    _ what: String,
    patience: Duration = .seconds(90),
    output: @autoclosure () -> String = "",
    until condition: () -> Bool
) async throws {
    let deadline = ContinuousClock.now + patience
    while !condition() {
        guard ContinuousClock.now < deadline else { throw PollTimeout(waitingFor: what, output: output()) }
        try await Task.sleep(for: .milliseconds(20))
    }
}

/// The same wait without giving the thread up between checks, for a test that must see a state that lasts only a
/// while (a request the fake holds for some seconds). swift-testing runs async tests on a pool of as many threads
/// as the machine has cores; on a loaded two-core machine an async check resumed only after such a state had
/// passed, so the test waited in vain.
/// - Throws: ``PollTimeout`` when `condition` does not hold within `patience`.
package func pollWithoutYielding(
    _ what: String,
    patience: Duration = .seconds(90),
    until condition: () -> Bool
) throws {
    let deadline = ContinuousClock.now + patience
    while !condition() {
        guard ContinuousClock.now < deadline else { throw PollTimeout(waitingFor: what, output: "") }
        Thread.sleep(forTimeInterval: 0.005)
    }
}

/// What ``poll(_:patience:output:until:)`` waited for in vain.
package struct PollTimeout: Error, CustomStringConvertible {
    package var waitingFor: String
    package var output: String

    package var description: String {
        "timed out waiting for \(waitingFor)" + (output.isEmpty ? "" : "; output:\n\(output)")
    }
}
