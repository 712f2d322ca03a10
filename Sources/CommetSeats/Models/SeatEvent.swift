/// A seat change Commet recorded: the answer to add, remove, set, and each entry of setAll's answer.
public struct SeatEvent: Sendable, Hashable, Decodable {
    /// Commet's id of the event.
    public var id: String
    /// The customer, as Commet names it (a `cus_...` id or the external id).
    public var customerID: String
    /// The seat feature code, e.g. `editor`.
    public var featureCode: String
    /// The balance before the change, when Commet reports it.
    public var previousBalance: Int?
    /// The balance after the change.
    public var newBalance: Int
    /// When the change takes effect (ISO-8601).
    public var ts: String?
    /// When Commet recorded the event (ISO-8601).
    public var createdAt: String?
    /// Whether the event belongs to live (not test) mode.
    public var livemode: Bool?

    /// Creates an event.
    public init(
        id: String,
        customerID: String,
        featureCode: String,
        previousBalance: Int?,
        newBalance: Int,
        ts: String? = nil,
        createdAt: String? = nil,
        livemode: Bool? = nil
    ) {
        self.id = id
        self.customerID = customerID
        self.featureCode = featureCode
        self.previousBalance = previousBalance
        self.newBalance = newBalance
        self.ts = ts
        self.createdAt = createdAt
        self.livemode = livemode
    }

    private enum CodingKeys: String, CodingKey {
        case id
        case customerID = "customerId"
        case featureCode
        case previousBalance
        case newBalance
        case ts
        case createdAt
        case livemode
    }
}
