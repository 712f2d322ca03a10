package import Dispatch
import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// Tells when a source file is replaced or rewritten, so the daemon can start a pass soon instead of
/// waiting for the next tick.
///
/// Watches the folders, not the files: writers rename a new file into place, which gives the path a
/// new inode that a watch on the old file would never see.
package final class SourceWatcher {
    private let source: any DispatchSourceRead

    /// A folder in which every file whose name starts with `prefix` is watched for arriving (written or
    /// renamed into place), as approvals arrive in the state folder.
    package struct Arrivals: Sendable, Hashable {
        package var folder: String
        package var prefix: String

        package init(folder: String, prefix: String) {
            self.folder = folder
            self.prefix = prefix
        }
    }

    /// Starts watching.
    /// - Parameters:
    ///   - paths: the source files to watch.
    ///   - arrivals: folders where new files with a name prefix are watched for too.
    ///   - queue: where `onChange` runs.
    ///   - onChange: called with the changed file's path, once per batch of kernel events.
    /// - Throws: ``SourceWatcherError`` when inotify is unavailable or a folder cannot be watched.
    package init(
        paths: [String],
        arrivals: [Arrivals] = [],
        queue: DispatchQueue,
        onChange: @escaping @Sendable (String) -> Void
    ) throws {
        let fd = inotify_init1(Int32(IN_CLOEXEC | IN_NONBLOCK))
        guard fd >= 0 else { throw SourceWatcherError(path: nil, reason: String(cString: strerror(errno))) }

        var watched: [Int32: [String: String]] = [:]
        let mask = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO | IN_CREATE | IN_DELETE | IN_MOVED_FROM)
        for path in paths {
            let url = URL(fileURLWithPath: path)
            let folder = url.deletingLastPathComponent().path
            let descriptor = inotify_add_watch(fd, folder, mask)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw SourceWatcherError(path: folder, reason: reason)
            }
            watched[descriptor, default: [:]][url.lastPathComponent] = path
        }
        var prefixes: [Int32: [Arrivals]] = [:]
        for arrival in arrivals {
            let descriptor = inotify_add_watch(fd, arrival.folder, mask)
            guard descriptor >= 0 else {
                let reason = String(cString: strerror(errno))
                close(fd)
                throw SourceWatcherError(path: arrival.folder, reason: reason)
            }
            prefixes[descriptor, default: []].append(arrival)
        }

        let names = watched
        let arriving = prefixes
        let source = DispatchSource.makeReadSource(fileDescriptor: fd, queue: queue)
        source.setEventHandler {
            for path in Self.drain(fd, watched: names, arrivals: arriving) { onChange(path) }
        }
        source.setCancelHandler { close(fd) }
        source.resume()
        self.source = source
    }

    deinit { source.cancel() }

    /// Reads every pending event and returns the watched paths they touched, each once.
    private static func drain(
        _ fd: Int32,
        watched: [Int32: [String: String]],
        arrivals: [Int32: [Arrivals]]
    )
        -> [String]
    {
        let arrived = UInt32(IN_CLOSE_WRITE | IN_MOVED_TO)
        var changed: [String] = []
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: 64 * 1024, alignment: 8)
        defer { buffer.deallocate() }
        while true {
            let count = read(fd, buffer.baseAddress, buffer.count)
            guard count > 0 else { break }
            var offset = 0
            while offset + MemoryLayout<inotify_event>.size <= count {
                let event = buffer.loadUnaligned(fromByteOffset: offset, as: inotify_event.self)
                let nameStart = offset + MemoryLayout<inotify_event>.size
                let nameBytes = UnsafeRawBufferPointer(rebasing: buffer[nameStart..<(nameStart + Int(event.len))])
                let name = String(decoding: nameBytes.prefix { $0 != 0 }, as: UTF8.self)
                if let path = watched[event.wd]?[name], !changed.contains(path) { changed.append(path) }
                if event.mask & arrived != 0,
                    let arrival = arrivals[event.wd]?.first(where: { name.hasPrefix($0.prefix) })
                {
                    let path = (arrival.folder as NSString).appendingPathComponent(name)
                    if !changed.contains(path) { changed.append(path) }
                }
                offset = nameStart + Int(event.len)
            }
        }
        return changed
    }
}

/// Why a source folder could not be watched; the daemon still runs on its timer without it.
package struct SourceWatcherError: Error, Sendable, CustomStringConvertible {
    package var path: String?
    package var reason: String

    package var description: String {
        guard let path else { return "cannot watch source files: \(reason)" }
        return "\(path): cannot watch for replaced source files: \(reason)"
    }
}
