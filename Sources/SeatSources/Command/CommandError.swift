/// Why a command source's output cannot be trusted; like a bad file, each stops the pass before any Commet call.
package enum CommandError: Error, Sendable, Equatable, CustomStringConvertible {
    /// `argv[0]` names no executable file (a bare name is searched in the command's `PATH`).
    case notFound(command: String, searched: String)
    case cannotStart(command: String, reason: String)
    case exited(command: String, status: Int32, stderr: [String])
    case killedBySignal(command: String, signal: Int32, stderr: [String])
    case timedOut(command: String, timeout: Duration, stderr: [String])
    case outputTooLarge(command: String, limit: Int, stderr: [String])
    case readFailed(command: String, reason: String)
    /// The pass was cancelled (the daemon is stopping) while the command ran; its process group was killed.
    case cancelled(command: String)

    package var description: String {
        switch self {
        case .notFound(let command, let searched):
            return "command \"\(InputExcerpt.quote(command))\": not found (searched \(searched))"
        case .cannotStart(let command, let reason):
            return "command \"\(InputExcerpt.quote(command))\": cannot start: \(reason)"
        case .exited(let command, let status, let stderr):
            return "command \"\(InputExcerpt.quote(command))\": exited with status \(status)" + Self.tail(stderr)
        case .killedBySignal(let command, let signal, let stderr):
            return "command \"\(InputExcerpt.quote(command))\": killed by signal \(signal)" + Self.tail(stderr)
        case .timedOut(let command, let timeout, let stderr):
            return "command \"\(InputExcerpt.quote(command))\": still running after timeout "
                + "\(DurationText.format(timeout)); its process group was killed" + Self.tail(stderr)
        case .outputTooLarge(let command, let limit, let stderr):
            return "command \"\(InputExcerpt.quote(command))\": printed more than max_output "
                + "\(ByteSizeText.format(limit)); killed, refusing a possibly partial read" + Self.tail(stderr)
        case .readFailed(let command, let reason):
            return "command \"\(InputExcerpt.quote(command))\": reading its output failed: \(reason)"
        case .cancelled(let command):
            return "command \"\(InputExcerpt.quote(command))\": killed because the pass was cancelled"
        }
    }

    /// The last lines of standard error, on the same line as the error, each quoted.
    private static func tail(_ lines: [String]) -> String {
        guard !lines.isEmpty else { return "; stderr: nothing" }
        return "; stderr: " + lines.map { "\"\($0)\"" }.joined(separator: " / ")
    }
}
