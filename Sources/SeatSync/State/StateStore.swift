import Foundation

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Keeps ``SyncState`` in `state_dir/state.json`, replaced atomically so a crash leaves the old or the new file.
struct StateStore: Sendable {
    /// What loading found.
    enum Loaded: Sendable, Hashable {
        /// No state file yet: a first pass.
        case fresh
        case loaded(SyncState)
        /// The file exists but cannot be used; the pass starts fresh and says why.
        case corrupt(reason: String)

        /// The state to run with: the loaded one, or an empty one.
        var state: SyncState {
            if case .loaded(let state) = self { return state }
            return SyncState()
        }
    }

    let directory: String

    init(directory: String) {
        self.directory = directory
    }

    var file: String { directory + "/state.json" }

    /// Reads the state file.
    /// - Returns: `.fresh` when it does not exist, `.corrupt` with the reason when it cannot be decoded.
    func load() -> Loaded {
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: file))
        } catch CocoaError.fileReadNoSuchFile {
            return .fresh
        } catch {
            return .corrupt(reason: "\(file): cannot read: \(error.localizedDescription)")
        }
        do {
            let state = try Self.decoder.decode(SyncState.self, from: data)
            guard state.version == SyncState.currentVersion else {
                return .corrupt(reason: "\(file): unknown state version \(state.version)")
            }
            return .loaded(state)
        } catch {
            return .corrupt(reason: "\(file): not a seat-sync state file: \(Self.describe(error))")
        }
    }

    /// Writes the state: a temporary file in the same folder, fsync, rename over `state.json`, fsync the folder.
    /// - Throws: ``StateError`` naming the step that failed; `state.json` is then unchanged.
    func save(_ state: SyncState) throws(StateError) {
        let bytes: Data
        do {
            bytes = try Self.encoder.encode(state)
        } catch {
            throw StateError(file: file, step: "encode", reason: "\(error)")
        }
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw StateError(file: directory, step: "create folder", reason: error.localizedDescription)
        }
        let temporary = "\(directory)/.state.json.\(getpid()).\(UInt32.random(in: .min ... .max)).tmp"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o600)
        guard fd >= 0 else { throw failure("create \(temporary)") }
        do throws(StateError) {
            try writeAll(bytes, to: fd)
            guard fsync(fd) == 0 else { throw failure("fsync \(temporary)") }
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0 else {
            let error = failure("close \(temporary)")
            unlink(temporary)
            throw error
        }
        guard rename(temporary, file) == 0 else {
            let error = failure("rename \(temporary) to state.json")
            unlink(temporary)
            throw error
        }
        let folder = open(directory, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard folder >= 0 else { throw failure("open folder for fsync") }
        defer { close(folder) }
        guard fsync(folder) == 0 else { throw failure("fsync folder") }
    }

    private func writeAll(_ bytes: Data, to fd: Int32) throws(StateError) {
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
        if failed { throw failure("write") }
    }

    private func failure(_ step: String) -> StateError {
        StateError(file: file, step: step, reason: String(cString: strerror(errno)))
    }

    private static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .iso8601
        return encoder
    }

    private static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .iso8601
        return decoder
    }

    /// A decoding error as one line: where in the document, and what.
    private static func describe(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .dataCorrupted(let context), .keyNotFound(_, let context), .typeMismatch(_, let context),
            .valueNotFound(_, let context):
            let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
            return path.isEmpty ? context.debugDescription : "\(path): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }
}
