/// Why a seat-snapshot file was refused; each reads as one log line starting with the file.
package enum SnapshotError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file stops before the JSON document is complete; `line` is the last line holding anything.
    case truncated(file: String, line: Int)
    /// The file is not JSON.
    case malformed(file: String, line: Int, column: Int, problem: String)
    /// A string holding bytes that are not UTF-8.
    case notUTF8(file: String, line: Int, column: Int)
    /// Valid JSON that is not a valid snapshot; `path` is like `customers[3].users[12].roles`.
    case invalid(file: String, line: Int, path: String, problem: String)
    /// A snapshot of a format version this program does not read.
    case unsupportedVersion(file: String, version: Int)
    /// A snapshot older than the last one applied: webhooks arrive out of order, and an old file must not undo
    /// newer writes.
    case replay(file: String, sequence: Int, lastApplied: Int)

    package var description: String {
        switch self {
        case .truncated(let file, let line):
            return "\(file):\(line): file ends mid-document (truncated; writers must write a temporary file "
                + "in the same folder and rename it into place)"
        case .malformed(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): \(problem)"
        case .notUTF8(let file, let line, let column):
            return "\(file):\(line):\(column): string is not UTF-8"
        case .invalid(let file, let line, let path, let problem):
            return path.isEmpty ? "\(file):\(line): \(problem)" : "\(file):\(line): \(path): \(problem)"
        case .unsupportedVersion(let file, let version):
            return "\(file): unsupported seat-snapshot version \(version) (this seat-sync reads version 1)"
        case .replay(let file, let sequence, let lastApplied):
            return "\(file): sequence \(sequence) is lower than the last applied sequence \(lastApplied); "
                + "refusing a replayed snapshot"
        }
    }
}
