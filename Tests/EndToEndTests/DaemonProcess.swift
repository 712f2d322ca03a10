import Foundation
import Synchronization
import TestSupport
import Testing

/// The built `seat-sync` running as a daemon: its log read as it grows, signals sent to it, its exit awaited.
///
/// Killed with SIGKILL when released while still running, so a failed test leaves no daemon behind.
final class DaemonProcess: Sendable {
    private let running: SeatSyncBinary.Running

    init(_ running: SeatSyncBinary.Running) {
        self.running = running
    }

    deinit {
        if !running.hasEnded { running.kill(SIGKILL) }
    }

    var pid: Int32 { running.pid }

    /// Sends `signal` to the daemon.
    func send(_ signal: Int32) {
        running.kill(signal)
    }

    var isRunning: Bool { !running.hasEnded }

    /// Everything written to stdout and stderr so far.
    var output: String { running.stdoutSoFar + running.stderrSoFar }

    /// The complete log lines written so far, parsed.
    var log: [LogLine] {
        let text = running.stderrSoFar
        return text.split(separator: "\n", omittingEmptySubsequences: true).dropLast(text.hasSuffix("\n") ? 0 : 1)
            .map { LogLine(String($0)) }
    }

    /// The log lines with this message.
    func lines(_ message: String) -> [LogLine] {
        log.filter { $0.message == message }
    }

    /// Waits until `condition` holds, polling the log.
    /// - Throws: ``PollTimeout`` with `what` and the output so far when it does not hold within 20 s.
    func waitUntil(_ what: String, _ condition: @escaping ([LogLine]) -> Bool) async throws {
        try await poll(what, output: self.output) { condition(self.log) }
    }

    /// Waits until at least `count` lines carry `message`.
    func waitForLines(_ message: String, count: Int = 1) async throws {
        try await waitUntil("\(count) \"\(message)\" line(s)") { log in log.count { $0.message == message } >= count }
    }

    /// Waits until `text` occurs at least `count` times in stdout and stderr, whatever the log format.
    func waitForOutput(_ text: String, count: Int = 1) async throws {
        try await poll("\(count) × \"\(text)\" in the output", output: self.output) {
            self.output.ranges(of: text).count >= count
        }
    }

    /// Waits for the process to end.
    /// - Returns: the exit status, or 128 + the signal for a process a signal ended (as a shell reports it).
    /// - Throws: ``PollTimeout`` when it still runs after 20 s.
    func waitForExit() async throws -> Int32 {
        try await poll("the daemon to exit", output: self.output) { self.running.hasEnded }
        return try await running.finish().status
    }
}

/// One JSON log line of the daemon.
struct LogLine: CustomStringConvertible {
    let text: String
    private let fields: [String: Any]

    init(_ text: String) {
        self.text = text
        fields = (try? JSONSerialization.jsonObject(with: Data(text.utf8))) as? [String: Any] ?? [:]
    }

    var message: String? { self["msg"] }
    var level: String? { self["level"] }

    /// The line's time stamp.
    var time: Date? {
        self["ts"].flatMap { try? Date($0, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) }
    }

    /// A field as text: strings as they are, JSON numbers and booleans as logfmt would show them.
    subscript(key: String) -> String? {
        guard let value = fields[key] else { return nil }
        if let text = value as? String { return text }
        // JSONSerialization gives numbers and booleans alike as NSNumber here: the line's text tells them apart.
        for flag in ["true", "false"] where text.contains("\"\(key)\":\(flag)") { return flag }
        return (value as? NSNumber)?.stringValue
    }

    var description: String { text }
}
