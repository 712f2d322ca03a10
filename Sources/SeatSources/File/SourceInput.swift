package import Foundation

/// Where a source's bytes come from, the one seam the readers take them through: a file (``SourceFile``) or what a
/// command prints (``CommandOutput``).
package struct SourceInput: Sendable {
    package let settings: SourceSettings

    package init(settings: SourceSettings) {
        self.settings = settings
    }

    /// Streams the source's bytes to `consume`, chunk by chunk, with the checks of where they come from.
    /// - Parameter now: the time a file's `max_age` is measured against.
    /// - Returns: the number of bytes read.
    /// - Throws: ``SourceFileError`` or ``CommandError``, or whatever `consume` throws.
    @discardableResult
    package func stream(now: Date, _ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        guard let command = settings.command else {
            return try SourceFile(settings: settings).stream(now: now, consume)
        }
        return try CommandOutput(command: command).stream(consume)
    }

    /// Calls `body` with the whole input, with the same checks as ``stream(now:_:)``, those of a file made after
    /// `body` has read it (``SourceFile/withText(now:_:)``).
    package func withText<Result>(now: Date, _ body: (SourceText) throws -> Result) throws -> Result {
        guard let command = settings.command else { return try SourceFile(settings: settings).withText(now: now, body) }
        return try body(.bytes([UInt8](collecting: { try CommandOutput(command: command).stream($0) })))
    }
}
