/// Stops the run when a harness finds the code under test breaking one of its promises.
///
/// libFuzzer reports a trap as a crash and keeps the input that caused it, so a broken invariant is found and
/// minimised like any crash.
package enum Invariant {
    /// Traps with `message` unless `condition` holds.
    /// - Parameters:
    ///   - condition: what the code under test promises.
    ///   - message: what was broken, with the values involved.
    package static func require(
        _ condition: Bool,
        _ message: @autoclosure () -> String,
        file: StaticString = #fileID,
        line: UInt = #line
    ) {
        if !condition { fail(message(), file: file, line: line) }
    }

    /// Traps with `message`: for a branch the code under test promises never to reach.
    package static func fail(_ message: String, file: StaticString = #fileID, line: UInt = #line) -> Never {
        fatalError("invariant violated: \(message)", file: file, line: line)
    }
}
