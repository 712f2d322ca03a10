#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A regular file open for reading: how seat-sync opens every file it reads whole (sources, the config, the API
/// key), refusing anything else without ever blocking on it. The descriptor is closed with the value.
///
/// A FIFO opened for reading blocks in `open()` until some writer opens it, and a blocked daemon cannot even stop on
/// SIGTERM. `O_NONBLOCK` makes `open()` return at once, and `fstat` on the descriptor (not the path, which may be
/// swapped in between) tells what was opened. On a regular file `O_NONBLOCK` changes nothing.
package struct RegularFile: ~Copyable {
    package let descriptor: Int32
    /// The file's permission bits, as `fstat` saw them when it was opened.
    package let permissions: UInt32

    /// Opens `path` read-only.
    /// - Throws: ``SourceFileError/cannotOpen(file:reason:)``, ``SourceFileError/notARegularFile(file:)``, or
    ///   ``SourceFileError/readFailed(file:reason:)`` when `fstat` fails.
    package init(openingForReading path: String) throws(SourceFileError) {
        let fd = open(path, O_RDONLY | O_CLOEXEC | O_NONBLOCK | O_NOCTTY)
        guard fd >= 0 else { throw .cannotOpen(file: path, reason: Self.errnoText()) }
        var info = stat()
        guard fstat(fd, &info) == 0 else {
            let reason = Self.errnoText()
            close(fd)
            throw .readFailed(file: path, reason: reason)
        }
        guard (info.st_mode & S_IFMT) == S_IFREG else {
            close(fd)
            throw .notARegularFile(file: path)
        }
        descriptor = fd
        permissions = UInt32(info.st_mode & 0o7777)
    }

    deinit { close(descriptor) }

    /// The text of the current `errno`.
    package static func errnoText() -> String { String(cString: strerror(errno)) }
}
