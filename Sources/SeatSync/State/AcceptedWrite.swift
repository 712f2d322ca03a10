/// A balance Commet accepted in a pass, remembered so that the next pass can tell "not shown yet" from drift.
public struct AcceptedWrite: Sendable, Hashable, Codable {
    public var customer: String
    public var feature: String
    /// The balance read just before the write.
    public var observed: Int
    /// The count written (the desired value sent in `setAll`).
    public var written: Int

    public init(customer: String, feature: String, observed: Int, written: Int) {
        self.customer = customer
        self.feature = feature
        self.observed = observed
        self.written = written
    }
}
