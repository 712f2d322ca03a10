import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Speaks systemd's `sd_notify` protocol: datagrams of `KEY=VALUE` lines sent to `$NOTIFY_SOCKET`.
///
/// Written against the protocol rather than libsystemd so that the binary has no extra runtime
/// dependency. Outside systemd (`NOTIFY_SOCKET` unset) every call does nothing.
package struct SystemdNotifier: Sendable {
    /// The socket path; a leading `@` names an abstract socket, as systemd documents.
    package let socketPath: String?
    /// How often systemd expects `WATCHDOG=1`, when the unit sets `WatchdogSec=` for this process.
    package let watchdogInterval: Duration?

    package init(environment: [String: String]) {
        let path = environment["NOTIFY_SOCKET"].flatMap { $0.isEmpty ? nil : $0 }
        socketPath = path
        let pidMatches = environment["WATCHDOG_PID"].map { Int32($0) == getpid() } ?? true
        if pidMatches, let usec = environment["WATCHDOG_USEC"].flatMap(Int64.init), usec > 0 {
            watchdogInterval = .microseconds(usec)
        } else {
            watchdogInterval = nil
        }
    }

    /// Tells systemd the config is valid and the service is running.
    package func ready(status: String) { send(["READY=1", "STATUS=\(status)"]) }
    /// Updates the one-line status `systemctl status` shows.
    package func status(_ text: String) { send(["STATUS=\(text)"]) }
    /// Proves the main loop is alive.
    package func watchdog() { send(["WATCHDOG=1"]) }
    /// Announces a configuration reload; `ready(status:)` ends it.
    package func reloading() {
        var now = timespec()
        clock_gettime(CLOCK_MONOTONIC, &now)
        let micros = Int64(now.tv_sec) * 1_000_000 + Int64(now.tv_nsec) / 1000
        send(["RELOADING=1", "MONOTONIC_USEC=\(micros)"])
    }
    /// Announces an orderly shutdown.
    package func stopping() { send(["STOPPING=1"]) }

    /// Sends one datagram; failures are ignored because a lost notification must never stop a pass.
    func send(_ lines: [String]) {
        guard let socketPath else { return }
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard fd >= 0 else { return }
        defer { close(fd) }

        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        var pathBytes = Array(socketPath.utf8)
        if pathBytes.first == UInt8(ascii: "@") { pathBytes[0] = 0 }
        let capacity = MemoryLayout.size(ofValue: address.sun_path)
        guard pathBytes.count < capacity else { return }
        withUnsafeMutableBytes(of: &address.sun_path) { raw in
            raw.copyBytes(from: pathBytes)
        }
        let length = socklen_t(MemoryLayout<sa_family_t>.size + pathBytes.count + (pathBytes.first == 0 ? 0 : 1))
        let message = Array(lines.joined(separator: "\n").utf8)
        _ = withUnsafePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                message.withUnsafeBytes { bytes in
                    // Never wait on a full socket queue: a daemon stuck on systemd would stop its passes.
                    sendto(
                        fd,
                        bytes.baseAddress,
                        bytes.count,
                        Int32(MSG_NOSIGNAL) | Int32(MSG_DONTWAIT),
                        socketAddress,
                        length
                    )
                }
            }
        }
    }
}
