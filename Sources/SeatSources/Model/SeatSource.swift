package import Foundation

/// What every source has in common, whatever its format.
package struct SourceSettings: Sendable, Hashable {
    /// The configured name, used in logs and `check-config`.
    package var name: String
    /// The file to read; for a command source, the label its errors and provenance name (``SourceCommand/label``).
    package var path: String
    /// The command whose standard output is read instead of a file, once per read.
    package var command: SourceCommand?
    /// A file last modified longer ago than this is stale and fails the pass; `nil` means no limit.
    package var maxAge: Duration?
    /// Whether a file with no records is a valid reading ("nobody holds a seat") rather than an error.
    package var allowEmpty: Bool
    /// Whether the reader also keeps what only `explain` shows: the users it lists but seats under no code, with
    /// why, and for LDIF the nested groups each grant came through. Off on a pass, so readers keep no more
    /// memory than counting needs.
    package var keepsExplanations = false

    package init(name: String, path: String, maxAge: Duration? = nil, allowEmpty: Bool = false) {
        self.name = name
        self.path = path
        self.maxAge = maxAge
        self.allowEmpty = allowEmpty
    }

    /// A source read from what `command` prints; `max_age` does not apply to it.
    package init(name: String, command: SourceCommand, allowEmpty: Bool = false) {
        self.init(name: name, path: command.label, allowEmpty: allowEmpty)
        self.command = command
    }
}

/// A kind of identity source. A new kind is a new conforming type; no other reader changes.
package protocol SeatSource: Sendable {
    var settings: SourceSettings { get }

    /// Reads the source whole.
    /// - Parameter now: the time `max_age` is measured against.
    /// - Returns: the facts per customer, with provenance.
    /// - Throws: an error naming the file, line and what was wrong; any error means the pass must not write.
    func read(now: Date) throws -> SourceReading
}
