public import Foundation

/// Why a source file as a whole could not be trusted; no write may follow any of these.
public enum SourceFileError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(file: String, reason: String)
    case notARegularFile(file: String)
    case readFailed(file: String, reason: String)
    case changedWhileReading(file: String)
    case stale(file: String, modified: Date, maxAge: Duration)
    case empty(file: String)

    public var description: String {
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
        case .empty(let file):
            return "\(file): holds no records; set allow_empty: true if an empty source is really meant"
        }
    }
}
