import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Lets a pass that is cancelled (the daemon stopping, a pass over its timeout) end the commands its source reads
/// are running: sources are read on a Dispatch thread, out of reach of task cancellation, and a command can run for
/// its whole `timeout`.
///
/// The pass binds one to ``current`` around its reads; ``cancel()`` kills the process group of every command
/// running under it, and a command that would start after that is not started.
package final class CommandCancellation: Sendable {
    private struct Groups {
        var cancelled = false
        var running: Set<pid_t> = []
    }

    private let groups = Mutex(Groups())

    package init() {}

    /// The cancellation the reads on this thread run under; `nil` outside a pass (`check-config`, tests).
    @TaskLocal package static var current: CommandCancellation?

    /// Kills every running command's process group and refuses new ones.
    package func cancel() {
        let running = groups.withLock { groups in
            groups.cancelled = true
            return groups.running
        }
        for group in running { kill(-group, SIGKILL) }
    }

    /// Whether ``cancel()`` was called: a read stops waiting then, even for output a child that escaped the
    /// process group (`setsid`) still holds open.
    var isCancelled: Bool { groups.withLock { $0.cancelled } }

    /// Records a started process group; `false` when the pass is already cancelled (the caller kills it).
    func register(_ group: pid_t) -> Bool {
        groups.withLock { groups in
            guard !groups.cancelled else { return false }
            groups.running.insert(group)
            return true
        }
    }

    /// Forgets a process group before its leader is reaped, so that ``cancel()`` never signals a reused id.
    /// - Returns: whether ``cancel()`` was called while it ran.
    func unregister(_ group: pid_t) -> Bool {
        groups.withLock { groups in
            groups.running.remove(group)
            return groups.cancelled
        }
    }
}
