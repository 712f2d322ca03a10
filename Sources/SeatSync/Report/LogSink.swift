package import Logging
import Synchronization
import TextRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Where log lines go: one file descriptor (stderr in the program), one whole line per write, and a `Redactor`
/// whose secrets are cut out of every line.
///
/// When the descriptor is systemd's journal stream, every line starts with its syslog priority (`<4>` for a
/// warning), which journald takes off and files the line under, so `journalctl -p warning` finds it.
///
/// The secrets list exists as defence in depth: nothing should log the API key, but if something ever does,
/// the line carries `[REDACTED]` instead of the key.
package final class LogSink: Sendable {
    private let fileDescriptor: Int32
    private let journal: Bool
    private let redactor = Mutex(Redactor())
    private let writing = Mutex<Void>(())

    /// - Parameters:
    ///   - fileDescriptor: an open descriptor the sink writes to and does not close.
    ///   - journal: whether the descriptor is systemd's journal stream, so lines carry their priority.
    package init(fileDescriptor: Int32, journal: Bool = false) {
        self.fileDescriptor = fileDescriptor
        self.journal = journal
    }

    /// A sink writing to the process's standard error, with priorities when that is the journal stream.
    /// - Parameter environment: the process environment, for systemd's `JOURNAL_STREAM`.
    package static func standardError(environment: [String: String]) -> LogSink {
        LogSink(fileDescriptor: 2, journal: JournalStream.isConnected(2, environment: environment))
    }

    /// Adds a string that must never appear in a log line; one too short to redact is ignored (see `Redactor`).
    package func redact(_ secret: String) {
        redactor.withLock { $0.add(secret) }
    }

    /// `text` with every registered secret replaced by `[REDACTED]`.
    package func redacting(_ text: String) -> String {
        redactor.withLock { $0 }.redacting(text)
    }

    /// Writes `line` and a newline in one `write` per chunk, holding a lock so lines from threads never interleave.
    /// - Parameters:
    ///   - line: the text, redacted already; should it hold line breaks, each of its lines gets the priority.
    ///   - level: what the journal files it under.
    package func write(line: String, level: Logger.Level) {
        var text = line
        if journal {
            let prefix = "<\(JournalStream.priority(level))>"
            text = line.split(separator: "\n", omittingEmptySubsequences: false).map { prefix + $0 }.joined(
                separator: "\n"
            )
        }
        var bytes = Array(text.utf8)
        bytes.append(UInt8(ascii: "\n"))
        writing.withLock { _ in
            var offset = 0
            while offset < bytes.count {
                let written = bytes[offset...].withUnsafeBytes { systemWrite(fileDescriptor, $0) }
                if written < 0 {
                    if errno == EINTR { continue }
                    // A line that cannot be written (stderr closed, disk full) is dropped: logging must never
                    // stop or crash a pass that is in the middle of writing seats.
                    return
                }
                offset += written
            }
        }
    }
}

/// The C `write`, out of reach of ``LogSink/write(line:level:)``'s name.
private func systemWrite(_ fileDescriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    write(fileDescriptor, bytes.baseAddress, bytes.count)
}
