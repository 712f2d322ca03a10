import Foundation

/// A balance Commet accepted, remembered so that a later pass can tell a decrease Commet defers (pending) from
/// drift, and when to send a pending one once more.
struct AcceptedWrite: Sendable, Hashable, Codable {
    var customer: String
    var feature: String
    /// The balance read just before the write.
    var observed: Int
    /// The count written (the desired value sent in `setAll`).
    var written: Int
    /// When Commet first accepted this change: the age a pending line reports.
    var acceptedAt: Date
    /// When it was last sent: `policy.pending_timeout` runs from here.
    var sentAt: Date

    init(customer: String, feature: String, observed: Int, written: Int, acceptedAt: Date, sentAt: Date? = nil) {
        self.customer = customer
        self.feature = feature
        self.observed = observed
        self.written = written
        self.acceptedAt = acceptedAt
        self.sentAt = sentAt ?? acceptedAt
    }

    /// Whether the write lowers the balance: only such a change can be pending (Commet applies removals at
    /// the end of the billing period).
    var isDecrease: Bool { written < observed }

    enum CodingKeys: String, CodingKey {
        case customer, feature, observed, written
        case acceptedAt = "accepted_at"
        case sentAt = "sent_at"
    }

    /// Decodes a version 1 entry too, which has no times: it then takes `fallback`, the pass's end.
    init(from decoder: any Decoder, fallback: Date) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        customer = try container.decode(String.self, forKey: .customer)
        feature = try container.decode(String.self, forKey: .feature)
        observed = try container.decode(Int.self, forKey: .observed)
        written = try container.decode(Int.self, forKey: .written)
        acceptedAt = try container.decodeIfPresent(Date.self, forKey: .acceptedAt) ?? fallback
        sentAt = try container.decodeIfPresent(Date.self, forKey: .sentAt) ?? acceptedAt
    }
}
