import Foundation
@testable package import SeatSources

/// Reads one source once and checks the outcome, whichever it is: a reading that keeps the reader's contract,
/// or a refusal that names the file and line.
package enum SourceCheck {
    /// - Parameters:
    ///   - source: a reader configured on the scratch file holding the input.
    ///   - contract: what a reading must look like.
    ///   - namesLine: for an error of the reader's own type, whether it must name a line; `nil` for any other
    ///     error, which then must be a ``SourceFileError`` the input can cause.
    /// - Returns: the reading, checked, for checks particular to one reader; `nil` when the reader refused the input.
    @discardableResult
    package static func read(
        _ source: some SeatSource,
        contract: ReadingContract,
        namesLine: (any Error) -> Bool?
    ) -> SourceReading? {
        let reading: SourceReading
        do {
            reading = try source.read(now: Date())
        } catch {
            if let namesLine = namesLine(error) {
                ErrorCheck.requireLocated(error, file: contract.file, lastLine: contract.lastLine, namesLine: namesLine)
                return nil
            }
            // The file is written whole just before the read and has no max_age: only emptiness can be wrong.
            Invariant.require(
                (error as? SourceFileError) == .empty(file: contract.file) && !contract.allowEmpty,
                "unexpected error \(type(of: error)): \(error)"
            )
            ErrorCheck.requireLocated(error, file: contract.file, lastLine: contract.lastLine, namesLine: false)
            return nil
        }
        contract.check(reading)
        return reading
    }
}
