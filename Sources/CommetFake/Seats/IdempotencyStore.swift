/// Answers remembered per `Idempotency-Key`, for the fake's whole life (Commet keeps them 24 hours).
struct IdempotencyStore {
    /// What makes two requests "the same request": method, path below the API root, body bytes.
    struct Fingerprint: Hashable {
        var method: String
        var path: String
        var body: [UInt8]
    }

    /// A final answer, replayed byte for byte.
    struct Answer: Hashable {
        var status: Int
        var body: [UInt8]
    }

    enum Claim: Hashable {
        /// The key is new: it is now in progress, and the caller must ``finish(_:with:)`` it.
        case claimed
        case replay(Answer)
        case mismatch
        case inProgress
    }

    private struct Record {
        var fingerprint: Fingerprint
        var answer: Answer?
    }

    private var records: [String: Record] = [:]

    mutating func claim(_ key: String, for fingerprint: Fingerprint) -> Claim {
        guard let record = records[key] else {
            records[key] = Record(fingerprint: fingerprint)
            return .claimed
        }
        guard record.fingerprint == fingerprint else { return .mismatch }
        return record.answer.map(Claim.replay) ?? .inProgress
    }

    mutating func finish(_ key: String, with answer: Answer) {
        records[key]?.answer = answer
    }

    func isInProgress(_ key: String) -> Bool {
        records[key].map { $0.answer == nil } ?? false
    }
}
