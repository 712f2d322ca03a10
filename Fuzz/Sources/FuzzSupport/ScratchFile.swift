import Synchronization

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The one file every fuzz input is written to before a reader reads it, in a folder of its own.
///
/// The readers only take paths, and the point is to fuzz them as the daemon runs them: through the file checks,
/// the chunked reads and all. One path is reused, so a run of millions of inputs creates one file. The folder is
/// made under `$TMPDIR` (scripts/fuzz points that at a folder it removes afterwards) and removed at exit.
package struct ScratchFile: Sendable {
    /// The file's path; absolute, because `$TMPDIR` and `/tmp` are.
    package let path: String
    private let folder: String

    /// Makes a fresh folder to hold a file called `name`.
    /// - Parameter name: the file's name; its extension is what error messages will show.
    package init(named name: String) {
        let base = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
        var template = Array("\(base)/seat-sync-fuzz-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            fatalError("cannot make a scratch folder under \(base): \(String(cString: strerror(errno)))")
        }
        folder = String(cString: made)
        path = folder + "/" + name
        let isFirst = madeFiles.withLock { files in
            files.append(self)
            return files.count == 1
        }
        // The harness hands the process to libFuzzer, which ends it with `exit`: removal has to run then.
        if isFirst { atexit { madeFiles.withLock { files in for file in files { file.remove() } } } }
    }

    /// Replaces the file's contents with `bytes`.
    package func replaceContents(with bytes: UnsafeRawBufferPointer) {
        let fd = open(path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o600)
        guard fd >= 0 else { fatalError("cannot open \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        var offset = 0
        while offset < bytes.count {
            let written = write(fd, bytes.baseAddress! + offset, bytes.count - offset)
            if written < 0 {
                if errno == EINTR { continue }
                fatalError("cannot write \(path): \(String(cString: strerror(errno)))")
            }
            offset += written
        }
    }

    private func remove() {
        unlink(path)
        rmdir(folder)
    }
}

/// Every scratch file this process made, for removal at exit.
private let madeFiles = Mutex<[ScratchFile]>([])
