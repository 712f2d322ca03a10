import Foundation
import TextRules

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock in the state directory, so two seat-sync instances on one host never run passes together.
///
/// `flock` is released by the kernel when the process dies, so a crash never leaves a stale lock behind. The
/// lock file is opened like every file of the state folder: never through a symlink, owned like the folder.
package final class InstanceLock: Sendable {
    static let fileName = "seat-sync.lock"
    package let path: String
    private let descriptor: Int32

    /// Takes the lock or fails at once; it never waits, because a second instance is an operator mistake.
    /// Creates the state directory when it does not exist yet (outside systemd, which makes it).
    /// - Throws: ``InstanceLockError`` naming the lock file and, when known, the holder's pid.
    package init(stateDirectory: String) throws(InstanceLockError) {
        path = (stateDirectory as NSString).appendingPathComponent(Self.fileName)
        let fd: Int32
        do {
            fd = try StateFolder.prepare(stateDirectory).openForLocking(Self.fileName)
        } catch {
            throw .unusable(error)
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            var bytes = [UInt8](repeating: 0, count: 32)
            let count = bytes.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, 0) }
            let holder = String(decoding: bytes.prefix(max(0, count)), as: UTF8.self)
                .trimmingASCIIWhitespace()
            close(fd)
            throw .heldByAnotherInstance(path: path, holderPID: Int32(holder))
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}

package enum InstanceLockError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The state folder or the lock file in it cannot be used: the error names the path and the cause.
    case unusable(StateFolderError)
    case heldByAnotherInstance(path: String, holderPID: Int32?)

    package var description: String {
        switch self {
        case .unusable(let error):
            return "cannot take the instance lock: \(error)"
        case .heldByAnotherInstance(let path, let pid):
            let holder = pid.map { "seat-sync pid \($0)" } ?? "another seat-sync"
            return "\(path): \(holder) already runs passes with this state directory; refusing to run a second one"
        }
    }

    /// What the operator does about it, for the log line's `next`.
    package var next: String {
        switch self {
        case .unusable: return "exiting; fix the state folder as the error says"
        case .heldByAnotherInstance: return "exiting; stop the other seat-sync or give this one its own state_dir"
        }
    }
}
