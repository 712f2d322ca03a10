package import Logging

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// systemd's journal, when it is what a descriptor writes to.
///
/// systemd connects a service's stderr to journald and sets `JOURNAL_STREAM=DEV:INODE`, that stream's device and
/// inode. A process inherits the variable even when its stderr was sent elsewhere (a shell redirect, a pipe), so
/// it is believed only when fstat(2) of the descriptor gives the same pair, as sd-daemon(3) advises.
package enum JournalStream {
    /// Whether `fileDescriptor` writes to the journal stream that `JOURNAL_STREAM` in `environment` names.
    package static func isConnected(_ fileDescriptor: Int32, environment: [String: String]) -> Bool {
        guard let value = environment["JOURNAL_STREAM"] else { return false }
        let parts = value.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, let device = UInt64(parts[0]), let inode = UInt64(parts[1]) else { return false }
        var status = stat()
        guard fstat(fileDescriptor, &status) == 0 else { return false }
        return UInt64(status.st_dev) == device && UInt64(status.st_ino) == inode
    }

    /// The syslog priority journald files a line of `level` under; `journalctl -p warning` shows 4 and below.
    package static func priority(_ level: Logger.Level) -> Int {
        switch level {
        case .trace, .debug: return 7
        case .info: return 6
        case .notice: return 5
        case .warning: return 4
        case .error: return 3
        case .critical: return 2
        }
    }
}
