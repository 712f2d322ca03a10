import Foundation

/// What one pass leaves for the next: snapshot sequences applied and the writes Commet accepted.
struct SyncState: Sendable, Hashable, Codable {
    /// The format of `state.json`; a file with another version is treated as corrupt.
    static let currentVersion = 1

    var version: Int
    /// The last applied `sequence` per JSON snapshot source, by source name: a lower one is a replay.
    var sequences: [String: Int]
    /// The last pass that wrote, if any.
    var lastPass: PassRecord?

    /// A pass that was not a dry run: its id and the writes that must not be repeated while not yet shown.
    struct PassRecord: Sendable, Hashable, Codable {
        var id: String
        var finishedAt: Date
        /// Writes Commet accepted in the pass, plus earlier ones still pending.
        var accepted: [AcceptedWrite]

        init(id: String, finishedAt: Date, accepted: [AcceptedWrite]) {
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

    init(sequences: [String: Int] = [:], lastPass: PassRecord? = nil) {
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
