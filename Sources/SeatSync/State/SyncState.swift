public import Foundation

/// What one pass leaves for the next: snapshot sequences applied and the writes Commet accepted.
public struct SyncState: Sendable, Hashable, Codable {
    /// The format of `state.json`; a file with another version is treated as corrupt.
    public static let currentVersion = 1

    public var version: Int
    /// The last applied `sequence` per JSON snapshot source, by source name: a lower one is a replay.
    public var sequences: [String: Int]
    /// The last pass that wrote, if any.
    public var lastPass: PassRecord?

    /// A pass that was not a dry run: its id and the writes that must not be repeated while not yet shown.
    public struct PassRecord: Sendable, Hashable, Codable {
        public var id: String
        public var finishedAt: Date
        /// Writes Commet accepted in the pass, plus earlier ones still pending.
        public var accepted: [AcceptedWrite]

        public init(id: String, finishedAt: Date, accepted: [AcceptedWrite]) {
            self.id = id
            self.finishedAt = finishedAt
            self.accepted = accepted
        }

        enum CodingKeys: String, CodingKey {
            case id
            case finishedAt = "finished_at"
            case accepted
        }
    }

    public init(sequences: [String: Int] = [:], lastPass: PassRecord? = nil) {
        self.version = Self.currentVersion
        self.sequences = sequences
        self.lastPass = lastPass
    }

    enum CodingKeys: String, CodingKey {
        case version
        case sequences
        case lastPass = "last_pass"
    }
}
