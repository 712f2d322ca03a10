import Foundation

/// What one pass leaves for the next: snapshot sequences applied, the writes Commet accepted, the guard's
/// holds and the approvals already acted on.
struct SyncState: Sendable, Hashable, Codable {
    /// The format of `state.json`. Version 1 files (no holds, no times) are read and rewritten as version 2;
    /// a file with another version is treated as corrupt.
    static let currentVersion = 2
    /// How many handled approval ids are remembered: enough to never act on one twice while its file exists.
    static let handledApprovalsKept = 100

    var version = SyncState.currentVersion
    /// The last applied `sequence` per JSON snapshot source, by source name: a lower one is a replay.
    var sequences: [String: Int] = [:]
    /// The last pass that wrote, if any.
    var lastPass: PassRecord?
    /// Changes the guard holds: they stay held until approved or no longer wanted.
    var holds: [HeldChange] = []
    /// Ids of approval files already acted on (applied or void), newest last.
    var handledApprovals: [String] = []
    /// Commet's own id (`cus_...`) of each customer the sources name by another id, as Commet's answers gave it.
    var commetIDs: [String: String] = [:]
    /// Per customer, what its last read confirmed; valid for the seat-sync version and config in `basis`.
    var customers: [String: CustomerRecord] = [:]
    var basis: RecordsBasis?

    /// A pass that was not a dry run: its id and the writes that must not be repeated while not yet shown.
    struct PassRecord: Sendable, Hashable, Codable {
        var id: String
        /// When the record was saved: before the pass's first write (`complete` false), then at its end.
        var finishedAt: Date
        /// Writes Commet accepted, plus earlier ones still pending. Saved before the first write without the
        /// lines the pass is about to send, so a pass whose end is never saved leaves no stale entry.
        var accepted: [AcceptedWrite]
        /// Whether the pass ended and saved what Commet answered.
        var complete = true

        enum CodingKeys: String, CodingKey {
            case id, accepted, complete
            case finishedAt = "finished_at"
        }
    }

    enum CodingKeys: String, CodingKey {
        case version, sequences, holds
        case lastPass = "last_pass"
        case handledApprovals = "handled_approvals"
        case commetIDs = "commet_ids"
        case customers, basis
    }

    /// Records that an approval was acted on, forgetting the oldest beyond ``handledApprovalsKept``.
    mutating func handled(approval id: String) {
        handledApprovals.removeAll { $0 == id }
        handledApprovals.append(id)
        if handledApprovals.count > Self.handledApprovalsKept {
            handledApprovals.removeFirst(handledApprovals.count - Self.handledApprovalsKept)
        }
    }
}

// In extensions, so that the memberwise initializers stay.
extension SyncState {
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        version = try container.decode(Int.self, forKey: .version)
        sequences = try container.decode([String: Int].self, forKey: .sequences)
        lastPass = try container.decodeIfPresent(PassRecord.self, forKey: .lastPass)
        holds = try container.decodeIfPresent([HeldChange].self, forKey: .holds) ?? []
        handledApprovals = try container.decodeIfPresent([String].self, forKey: .handledApprovals) ?? []
        commetIDs = try container.decodeIfPresent([String: String].self, forKey: .commetIDs) ?? [:]
        customers = try container.decodeIfPresent([String: CustomerRecord].self, forKey: .customers) ?? [:]
        basis = try container.decodeIfPresent(RecordsBasis.self, forKey: .basis)
    }
}

extension SyncState.PassRecord {
    init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        id = try container.decode(String.self, forKey: .id)
        finishedAt = try container.decode(Date.self, forKey: .finishedAt)
        complete = try container.decodeIfPresent(Bool.self, forKey: .complete) ?? true
        var entries = try container.nestedUnkeyedContainer(forKey: .accepted)
        var accepted: [AcceptedWrite] = []
        while !entries.isAtEnd {
            accepted.append(try AcceptedWrite(from: try entries.superDecoder(), fallback: finishedAt))
        }
        self.accepted = accepted
    }
}
