import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// An exclusive lock in the state directory, so two seat-sync instances on one host never run passes together.
///
/// `flock` is released by the kernel when the process dies, so a crash never leaves a stale lock behind.
public final class InstanceLock: Sendable {
    public let path: String
    private let descriptor: Int32

    /// Takes the lock or fails at once; it never waits, because a second instance is an operator mistake.
    /// Creates the state directory when it does not exist yet (outside systemd, which makes it).
    /// - Throws: ``InstanceLockError`` naming the lock file and, when known, the holder's pid.
    public init(stateDirectory: String) throws(InstanceLockError) {
        path = (stateDirectory as NSString).appendingPathComponent("seat-sync.lock")
        // A failure here shows up as the open's error just below, which names the path.
        try? FileManager.default.createDirectory(
            atPath: stateDirectory,
            withIntermediateDirectories: true,
            attributes: [.posixPermissions: 0o750]
        )
        let fd = open(path, O_RDWR | O_CREAT | O_CLOEXEC, 0o600)
        guard fd >= 0 else {
            throw .cannotOpen(path: path, reason: String(cString: strerror(errno)))
        }
        guard flock(fd, LOCK_EX | LOCK_NB) == 0 else {
            let holder = (try? String(contentsOfFile: path, encoding: .utf8))?
                .trimmingCharacters(in: .whitespacesAndNewlines)
            close(fd)
            throw .heldByAnotherInstance(path: path, holderPID: holder.flatMap { Int32($0) })
        }
        let pid = Array("\(getpid())\n".utf8)
        _ = ftruncate(fd, 0)
        _ = pid.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
        descriptor = fd
    }

    deinit { close(descriptor) }
}

public enum InstanceLockError: Error, Sendable, Equatable, CustomStringConvertible {
    case cannotOpen(path: String, reason: String)
    case heldByAnotherInstance(path: String, holderPID: Int32?)

    public var description: String {
        switch self {
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the instance lock: \(reason)"
        case .heldByAnotherInstance(let path, let pid):
            let holder = pid.map { "seat-sync pid \($0)" } ?? "another seat-sync"
            return "\(path): \(holder) already runs passes with this state directory; refusing to run a second one"
        }
    }
}
