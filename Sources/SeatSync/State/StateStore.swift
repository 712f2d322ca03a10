import Foundation
import SeatSources

/// Keeps ``SyncState`` in `state_dir/state.json`, replaced atomically so a crash leaves the old or the new file.
struct StateStore: Sendable {
    /// What loading found.
    enum Loaded: Sendable, Hashable {
        /// No state file yet: a first pass.
        case fresh
        case loaded(SyncState)
        /// The file exists but cannot be decoded; the pass starts fresh and says why.
        case corrupt(reason: String)

        /// The state to run with: the loaded one, or an empty one.
        var state: SyncState {
            if case .loaded(let state) = self { return state }
            return SyncState()
        }
    }

    static let fileName = "state.json"
    let folder: StateFolder

    var file: String { folder.file(Self.fileName) }

    /// Reads the state file.
    /// - Returns: `.fresh` when it does not exist, `.corrupt` with the reason when it cannot be decoded.
    /// - Throws: ``StateFolderError`` when the file cannot be read safely (a symlink, not a regular file, no
    ///   permission): a pass must not run on a state it could not see.
    func load() throws(StateFolderError) -> Loaded {
        guard let data = try folder.contents(of: Self.fileName) else { return .fresh }
        do {
            let state = try Self.decoder.decode(SyncState.self, from: data)
            guard (1...SyncState.currentVersion).contains(state.version) else {
                return .corrupt(reason: "\(file): unknown state version \(state.version)")
            }
            var current = state
            current.version = SyncState.currentVersion
            return .loaded(current)
        } catch {
            return .corrupt(reason: "\(file): not a seat-sync state file: \(Self.describe(error))")
        }
    }

    /// Writes the state: a temporary file in the same folder, fsync, rename over `state.json`, fsync the folder.
    /// - Throws: ``StateFolderError`` naming the step that failed; `state.json` is then unchanged.
    func save(_ state: SyncState) throws(StateFolderError) {
        let bytes: Data
        do {
            bytes = try Self.encoder.encode(state)
        } catch {
            throw .cannotAccess(path: file, step: "encode", reason: "\(error)", errno: 0)
        }
        try folder.replace(Self.fileName, with: bytes)
    }

    /// Times to the millisecond: passes a second apart must still tell which customer was read last.
    static var encoder: JSONEncoder {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        encoder.dateEncodingStrategy = .custom { date, encoder in
            var container = encoder.singleValueContainer()
            try container.encode(date.formatted(Self.preciseTime))
        }
        return encoder
    }

    /// Reads times with or without fractional seconds (version 1 files have none).
    static var decoder: JSONDecoder {
        let decoder = JSONDecoder()
        decoder.dateDecodingStrategy = .custom { decoder in
            let container = try decoder.singleValueContainer()
            let text = try container.decode(String.self)
            if let date = DateTimeText.parse(text) { return date }
            throw DecodingError.dataCorruptedError(in: container, debugDescription: "not an ISO 8601 time: \(text)")
        }
        return decoder
    }

    private static let preciseTime = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

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
