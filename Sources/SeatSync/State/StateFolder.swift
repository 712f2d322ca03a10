import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// The state folder (`state_dir`), shared by the service's user and an operator's root shell (`approve`,
/// `--once`), so that each leaves it usable by the other.
///
/// Every file in it is opened relative to the folder without following a symlink, so a planted link cannot
/// make a root run write somewhere else; files are written as the folder's owner, with its group and its mode
/// less the execute bits, and replaced atomically. The folder is refused when group or others may write in it,
/// or, for a non-root user, when another non-root user owns it: the same rule ssh's StrictModes applies.
struct StateFolder: Sendable {
    let path: String
    /// The folder's owner and group, which every file written here gets.
    let owner: uid_t
    let group: gid_t
    /// The folder's permission bits.
    let mode: mode_t

    /// The mode of files written here: the folder's read and write bits.
    var fileMode: mode_t { mode & 0o666 }

    /// Opens and checks the folder for a run that writes there, creating it (mode 0750) when it is missing.
    /// - Throws: ``StateFolderError`` naming the folder, what is wrong and the command that fixes it.
    static func prepare(_ path: String) throws(StateFolderError) -> StateFolder {
        if access(path, F_OK) != 0 {
            do {
                try FileManager.default.createDirectory(
                    atPath: path,
                    withIntermediateDirectories: true,
                    attributes: [.posixPermissions: 0o750]
                )
            } catch {
                throw .cannotCreate(path: path, reason: Self.reason(of: error))
            }
        }
        let folder = try opened(path)
        if folder.mode & 0o022 != 0 {
            throw .writableByOthers(path: path, mode: folder.mode)
        }
        let me = geteuid()
        if me != 0, folder.owner != me, folder.owner != 0 {
            throw .ownedByAnotherUser(path: path, owner: folder.owner, user: me)
        }
        return folder
    }

    /// Opens the folder for a look that writes nothing (a dry run, `seat-sync held`): it is neither created nor
    /// held to the ownership rules, which only protect what is written there.
    /// - Returns: the folder, or `nil` when it does not exist.
    static func look(_ path: String) throws(StateFolderError) -> StateFolder? {
        guard access(path, F_OK) == 0 else { return nil }
        return try opened(path)
    }

    private static func opened(_ path: String) throws(StateFolderError) -> StateFolder {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        return StateFolder(path: path, owner: info.st_uid, group: info.st_gid, mode: info.st_mode & 0o7777)
    }

    /// The contents of `name`, or `nil` when there is no such file.
    /// - Throws: ``StateFolderError`` when it exists but is a symlink, not a regular file, or unreadable.
    func contents(of name: String) throws(StateFolderError) -> Data? {
        let folder = try openFolder()
        defer { close(folder) }
        let fd = openat(folder, name, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else {
            if errno == ENOENT { return nil }
            throw failure(name, "open")
        }
        defer { close(fd) }
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(name, "stat") }
        guard info.st_mode & S_IFMT == S_IFREG else {
            throw .notARegularFile(path: file(name))
        }
        var data = Data()
        var buffer = [UInt8](repeating: 0, count: 64 * 1024)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(fd, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw failure(name, "read")
            }
            if count == 0 { break }
            data.append(contentsOf: buffer[0..<count])
        }
        return data
    }

    /// Replaces `name` with `bytes`: a temporary file in the folder, owned like the folder, fsync, rename over
    /// `name`, fsync of the folder. A crash leaves the old file or the new one, never a mix.
    /// - Throws: ``StateFolderError`` naming the step that failed; `name` is then unchanged.
    func replace(_ name: String, with bytes: Data) throws(StateFolderError) {
        let folder = try openFolder()
        defer { close(folder) }
        let temporary = ".\(name).\(getpid()).\(UInt32.random(in: .min ... .max)).tmp"
        let fd = openat(folder, temporary, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw failure(temporary, "create") }
        do throws(StateFolderError) {
            try own(fd, name: temporary)
            try writeAll(bytes, to: fd, name: temporary)
            guard fsync(fd) == 0 else { throw failure(temporary, "fsync") }
        } catch {
            close(fd)
            unlinkat(folder, temporary, 0)
            throw error
        }
        guard close(fd) == 0 else {
            let error = failure(temporary, "close")
            unlinkat(folder, temporary, 0)
            throw error
        }
        guard renameat(folder, temporary, folder, name) == 0 else {
            let error = failure(name, "rename \(temporary) to")
            unlinkat(folder, temporary, 0)
            throw error
        }
        guard fsync(folder) == 0 else { throw failure(name, "fsync the folder of") }
    }

    /// Removes `name`; a missing file is not an error.
    func remove(_ name: String) throws(StateFolderError) {
        let folder = try openFolder()
        defer { close(folder) }
        guard unlinkat(folder, name, 0) == 0 || errno == ENOENT else { throw failure(name, "remove") }
    }

    /// The names of the files in the folder that start with `prefix`, sorted.
    func names(withPrefix prefix: String) throws(StateFolderError) -> [String] {
        do {
            return try FileManager.default.contentsOfDirectory(atPath: path).filter { $0.hasPrefix(prefix) }.sorted()
        } catch {
            throw .cannotOpen(path: path, reason: Self.reason(of: error))
        }
    }

    /// Opens `name` for reading and writing, creating it owned like the folder; never through a symlink.
    /// - Returns: the descriptor, which the caller closes.
    func openForLocking(_ name: String) throws(StateFolderError) -> Int32 {
        let folder = try openFolder()
        defer { close(folder) }
        let fd = openat(folder, name, O_RDWR | O_CREAT | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC, fileMode)
        guard fd >= 0 else { throw failure(name, "open") }
        var info = stat()
        guard fstat(fd, &info) == 0, info.st_mode & S_IFMT == S_IFREG else {
            close(fd)
            throw .notARegularFile(path: file(name))
        }
        do throws(StateFolderError) {
            try own(fd, name: name)
        } catch {
            close(fd)
            throw error
        }
        return fd
    }

    func file(_ name: String) -> String { (path as NSString).appendingPathComponent(name) }

    private func openFolder() throws(StateFolderError) -> Int32 {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { throw .cannotOpen(path: path, reason: String(cString: strerror(errno))) }
        return fd
    }

    /// Gives a file root just created to the folder's owner and group, so the service's user can replace it.
    private func own(_ fd: Int32, name: String) throws(StateFolderError) {
        var info = stat()
        guard fstat(fd, &info) == 0 else { throw failure(name, "stat") }
        if geteuid() == 0, info.st_uid != owner || info.st_gid != group {
            guard fchown(fd, owner, group) == 0 else { throw failure(name, "chown") }
        }
        if info.st_uid == geteuid(), info.st_mode & 0o777 != fileMode {
            guard fchmod(fd, fileMode) == 0 else { throw failure(name, "chmod") }
        }
    }

    private func writeAll(_ bytes: Data, to fd: Int32, name: String) throws(StateFolderError) {
        var failed = false
        bytes.withUnsafeBytes { buffer in
            var offset = 0
            while offset < buffer.count {
                let written = write(fd, buffer.baseAddress! + offset, buffer.count - offset)
                if written < 0 {
                    if errno == EINTR { continue }
                    failed = true
                    return
                }
                offset += written
            }
        }
        if failed { throw failure(name, "write") }
    }

    private func failure(_ name: String, _ step: String) -> StateFolderError {
        let code = errno
        if code == ELOOP { return .symlink(path: file(name)) }
        return .cannotAccess(path: file(name), step: step, reason: String(cString: strerror(code)), errno: code)
    }

    private static func reason(of error: any Error) -> String {
        (error as NSError).userInfo[NSUnderlyingErrorKey].map { "\($0)" } ?? error.localizedDescription
    }
}

/// Why the state folder or a file in it cannot be used; each case names the path and the fix.
package enum StateFolderError: Error, Sendable, Hashable, CustomStringConvertible {
    case cannotCreate(path: String, reason: String)
    case cannotOpen(path: String, reason: String)
    case writableByOthers(path: String, mode: UInt32)
    case ownedByAnotherUser(path: String, owner: UInt32, user: UInt32)
    case symlink(path: String)
    case notARegularFile(path: String)
    case cannotAccess(path: String, step: String, reason: String, errno: Int32)

    package var description: String {
        switch self {
        case .cannotCreate(let path, let reason):
            return "\(path): cannot create the state folder: \(reason)"
        case .cannotOpen(let path, let reason):
            return "\(path): cannot open the state folder: \(reason)"
        case .writableByOthers(let path, let mode):
            return "\(path): the state folder is writable by group or others (mode \(String(mode, radix: 8))); "
                + "refusing to use it: run chmod go-w \(path)"
        case .ownedByAnotherUser(let path, let owner, let user):
            return "\(path): the state folder belongs to uid \(owner), not to this user (uid \(user)); refusing "
                + "to use it: run seat-sync as uid \(owner) (or as root), or give this user its own state_dir"
        case .symlink(let path):
            return "\(path): is a symbolic link; seat-sync never follows one in the state folder: remove it"
        case .notARegularFile(let path):
            return "\(path): not a regular file; remove it"
        case .cannotAccess(let path, let step, let reason, let code):
            let hint =
                code == EACCES || code == EPERM
                ? " (uid \(geteuid()) may not write in the state folder; run as its owner or as root)" : ""
            return "\(path): cannot \(step): \(reason)\(hint)"
        }
    }
}
