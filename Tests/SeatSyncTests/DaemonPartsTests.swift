import Dispatch
import Foundation
import SeatSync
import Synchronization
import Testing

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

@Suite struct SystemdNotifierTests {
    @Test func sendsEachStateAsADatagramToNotifySocket() throws {
        // Input: NOTIFY_SOCKET naming a real unix datagram socket bound by the test, WATCHDOG_USEC=2000000.
        // Expected: the notifier's messages arrive verbatim, and the watchdog interval is 2 s.
        let listener = try DatagramListener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000"])
        #expect(notifier.watchdogInterval == .seconds(2))

        notifier.ready(status: "config valid; first pass starting")
        notifier.watchdog()
        notifier.status("last pass: 3 customers, 1 changed")
        notifier.stopping()

        #expect(try listener.receive() == "READY=1\nSTATUS=config valid; first pass starting")
        #expect(try listener.receive() == "WATCHDOG=1")
        #expect(try listener.receive() == "STATUS=last pass: 3 customers, 1 changed")
        #expect(try listener.receive() == "STOPPING=1")
    }

    @Test func reloadingCarriesTheMonotonicTimestamp() throws {
        let listener = try DatagramListener()
        SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path]).reloading()
        let message = try listener.receive()
        #expect(message.hasPrefix("RELOADING=1\nMONOTONIC_USEC="))
        #expect(Int64(message.split(separator: "=").last ?? "") ?? 0 > 0)
    }

    @Test func ignoresAWatchdogMeantForAnotherProcess() {
        let notifier = SystemdNotifier(environment: ["WATCHDOG_USEC": "2000000", "WATCHDOG_PID": "1"])
        #expect(notifier.watchdogInterval == nil)
        #expect(notifier.socketPath == nil)
    }
}

@Suite struct InstanceLockTests {
    @Test func aSecondInstanceIsRefusedUntilTheFirstReleases() async throws {
        // Input: two locks taken on one state directory. Expected: the second fails naming the file and the
        // holder's pid; after the first is released a new one succeeds.
        let dir = try TemporaryDirectory()
        var first: InstanceLock? = try InstanceLock(stateDirectory: dir.path)
        #expect(throws: InstanceLockError.heldByAnotherInstance(path: first!.path, holderPID: getpid())) {
            _ = try InstanceLock(stateDirectory: dir.path)
        }
        first = nil
        // Tests running beside this one start processes: a child forked between `open` and its `exec` briefly
        // shares the lock's descriptor (O_CLOEXEC closes it only at exec), so the release may take a moment.
        var second: InstanceLock?
        try await poll("the released lock to be taken again") {
            second = second ?? (try? InstanceLock(stateDirectory: dir.path))
            return second != nil
        }
    }
}

@Suite struct SourceWatcherTests {
    @Test func reportsAFileRenamedIntoPlaceAndIgnoresOthers() async throws {
        // Input: a watched users.csv replaced by rename, and an unrelated file written in the same folder.
        // Expected: exactly users.csv is reported.
        let dir = try TemporaryDirectory()
        let watchedPath = dir.path + "/users.csv"
        try Data("a\n".utf8).write(to: URL(fileURLWithPath: watchedPath))
        let seen = Mutex<[String]>([])
        let watcher = try SourceWatcher(paths: [watchedPath], queue: DispatchQueue(label: "watch")) { path in
            seen.withLock { $0.append(path) }
        }
        try Data("x\n".utf8).write(to: URL(fileURLWithPath: dir.path + "/other.txt"))
        try Data("b\n".utf8).write(to: URL(fileURLWithPath: dir.path + "/users.csv.tmp"))
        #expect(rename(dir.path + "/users.csv.tmp", watchedPath) == 0)

        try await poll("the watcher to report a change") { !seen.withLock { $0.isEmpty } }
        withExtendedLifetime(watcher) {}
        #expect(Set(seen.withLock { $0 }) == [watchedPath])
    }
}

/// A unix datagram socket bound in a fresh temporary folder, standing in for systemd's notify socket.
private final class DatagramListener {
    let path: String
    private let fd: Int32
    private let folder: TemporaryDirectory

    init() throws {
        folder = try TemporaryDirectory()
        path = folder.path + "/notify.sock"
        fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard bound == 0 else { throw POSIXError(.EADDRINUSE) }
        var timeout = timeval(tv_sec: 5, tv_usec: 0)
        setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &timeout, socklen_t(MemoryLayout<timeval>.size))
    }

    deinit { close(fd) }

    /// The next datagram, waiting at most 5 s.
    func receive() throws -> String {
        var buffer = [UInt8](repeating: 0, count: 4096)
        let count = recv(fd, &buffer, buffer.count, 0)
        guard count >= 0 else { throw POSIXError(.ETIMEDOUT) }
        return String(decoding: buffer[0..<count], as: UTF8.self)
    }
}
