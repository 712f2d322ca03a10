package import Foundation

/// Why a source file as a whole could not be trusted; no write may follow any of these.
package enum SourceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(file: String, reason: String)
    case notARegularFile(file: String)
    case readFailed(file: String, reason: String)
    case changedWhileReading(file: String)
    case stale(file: String, modified: Date, maxAge: Duration)
    /// The mtime is further ahead of the clock than ``SourceFile/clockSkewAllowance``: one of the two clocks is
    /// wrong, and `max_age` could never find such a file stale.
    case modifiedInFuture(file: String, modified: Date, now: Date)
    case empty(file: String)

    package var description: String {
        switch self {
        case .cannotOpen(let file, let reason):
            return "\(file): cannot open: \(reason)"
        case .notARegularFile(let file):
            return "\(file): not a regular file"
        case .readFailed(let file, let reason):
            return "\(file): read failed: \(reason)"
        case .changedWhileReading(let file):
            return "\(file): file changed while it was being read (writers must write a temporary file "
                + "in the same folder and rename it into place); refusing a possibly partial read"
        case .stale(let file, let modified, let maxAge):
            return "\(file): stale: last modified \(modified.formatted(.iso8601)), "
                + "older than max_age \(DurationText.format(maxAge))"
        case .modifiedInFuture(let file, let modified, let now):
            return "\(file): last modified \(modified.formatted(.iso8601)), more than "
                + "\(DurationText.format(SourceFile.clockSkewAllowance)) after the clock's \(now.formatted(.iso8601)) "
                + "(clock skew?); max_age cannot judge its age"
        case .empty(let file):
            return "\(file): holds no records; set allow_empty: true if an empty source is really meant"
        }
    }
}
