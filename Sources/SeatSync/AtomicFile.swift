#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Replaces a file whole, so a reader (or a crash) sees the old content or the new, never a mix: a temporary file
/// in the same folder, fsync, rename over the file, fsync of the folder.
enum AtomicFile {
    /// - Parameters:
    ///   - bytes: the new content.
    ///   - path: the file to replace; its folder must exist.
    ///   - permissions: the file's mode, set whatever the process's umask (the unit's `UMask=0077` would otherwise
    ///     keep a file meant for another user, such as node_exporter, unreadable to it).
    /// - Throws: ``AtomicFileError`` naming the file and the step that failed; the file is then unchanged.
    static func write(_ bytes: [UInt8], to path: String, permissions: mode_t) throws(AtomicFileError) {
        let slash = path.lastIndex(of: "/")
        let folder = slash.map { $0 == path.startIndex ? "/" : String(path[..<$0]) } ?? "."
        let name = slash.map { String(path[path.index(after: $0)...]) } ?? path
        // A dot name ending in .tmp: collectors that read `*.prom` never pick up a half-written file.
        let temporary = "\(folder)/.\(name).\(getpid()).\(UInt32.random(in: .min ... .max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, permissions)
        guard fd >= 0 else { throw failure(path, "create \(temporary)") }
        do throws(AtomicFileError) {
            guard fchmod(fd, permissions) == 0 else { throw failure(path, "set the mode of \(temporary)") }
            try writeAll(bytes, to: fd, path: path, temporary: temporary)
            guard fsync(fd) == 0 else { throw failure(path, "fsync \(temporary)") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let error = failure(path, "close \(temporary)")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, path) == 0 else {
            let error = failure(path, "rename \(temporary) into place")
            unlink(temporary)
            throw error
        }
        let folderFD = open(folder, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folderFD >= 0 else { throw failure(path, "open its folder for fsync") }
        defer { close(folderFD) }
        guard fsync(folderFD) == 0 else { throw failure(path, "fsync its folder") }
    }

    private static func writeAll(
        _ bytes: [UInt8],
        to fd: Int32,
        path: String,
        temporary: String
    ) throws(AtomicFileError) {
        var offset = 0
        while offset < bytes.count {
            let written = bytes[offset...].withUnsafeBytes { systemWrite(fd, $0) }
            if written < 0 {
                if errno == EINTR { continue }
                throw failure(path, "write \(temporary)")
            }
            offset += written
        }
    }

    private static func failure(_ path: String, _ step: String) -> AtomicFileError {
        AtomicFileError(file: path, step: step, reason: String(cString: strerror(errno)))
    }
}

/// The C `write`, out of reach of ``AtomicFile/write(_:to:permissions:)``'s name.
private func systemWrite(_ fileDescriptor: Int32, _ bytes: UnsafeRawBufferPointer) -> Int {
    write(fileDescriptor, bytes.baseAddress, bytes.count)
}

/// Why a file could not be replaced; the file keeps its previous content.
package struct AtomicFileError: Error, Sendable, Hashable, CustomStringConvertible {
    package var file: String
    /// What was being done: `create ...`, `write ...`, `fsync ...`, `rename ... into place`.
    package var step: String
    package var reason: String

    package var description: String { "\(file): cannot \(step): \(reason)" }
}
