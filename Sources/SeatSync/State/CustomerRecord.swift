import Foundation

/// What the last read of one customer confirmed, so that a later pass can leave an unchanged customer unread.
struct CustomerRecord: Sendable, Hashable, Codable {
    /// ``DesiredDigest`` of the customer's desired seats when it was last read and planned.
    var desired: String
    /// The balances Commet showed, with the pass's writes applied, after that read.
    var balances: [String: Int]
    var confirmedAt: Date

    enum CodingKeys: String, CodingKey {
        case desired, balances
        case confirmedAt = "confirmed_at"
    }
}

/// What a pass of the daemon must match to read only what changed: the same seat-sync and the same config as
/// the pass that left the records. Anything else makes the pass full.
struct RecordsBasis: Sendable, Hashable, Codable {
    var version: String
    var config: String
}

/// A short digest of one customer's desired seats (feature code -> count), to tell whether they changed.
enum DesiredDigest {
    static func of(_ seats: [String: Int]) -> String {
        var hash = FNV1a128()
        hash.field(String(seats.count))
        for (feature, count) in seats.sorted(by: { $0.key < $1.key }) {
            hash.field(feature)
            hash.field(String(count))
        }
        return String(hash.hex.prefix(16))
    }
}
