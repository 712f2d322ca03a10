/// A balance Commet accepted in a pass, remembered so that the next pass can tell "not shown yet" from drift.
struct AcceptedWrite: Sendable, Hashable, Codable {
    var customer: String
    var feature: String
    /// The balance read just before the write.
    var observed: Int
    /// The count written (the desired value sent in `setAll`).
    var written: Int

    init(customer: String, feature: String, observed: Int, written: Int) {
        self.customer = customer
        self.feature = feature
        self.observed = observed
        self.written = written
    }
}
