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
    @Test func sendsEachStateAsADatagramToNotifySocket() async throws {
        // Input: NOTIFY_SOCKET naming a real unix datagram socket bound by the test, WATCHDOG_USEC=2000000.
        // Expected: the notifier's messages arrive verbatim, and the watchdog interval is 2 s.
        let listener = try NotifyListener()
        let notifier = SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path, "WATCHDOG_USEC": "2000000"])
        #expect(notifier.watchdogInterval == .seconds(2))

        notifier.ready(status: "config valid; first pass starting")
        notifier.watchdog()
        notifier.status("last pass: 3 customers, 1 changed")
        notifier.stopping()

        try await poll("four datagrams") { listener.messages.count >= 4 }
        #expect(
            listener.messages == [
                "READY=1\nSTATUS=config valid; first pass starting",
                "WATCHDOG=1",
                "STATUS=last pass: 3 customers, 1 changed",
                "STOPPING=1",
            ]
        )
    }

    @Test func reloadingCarriesTheMonotonicTimestamp() async throws {
        let listener = try NotifyListener()
        SystemdNotifier(environment: ["NOTIFY_SOCKET": listener.path]).reloading()
        try await poll("the RELOADING datagram") { !listener.messages.isEmpty }
        let message = listener.messages[0]
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
