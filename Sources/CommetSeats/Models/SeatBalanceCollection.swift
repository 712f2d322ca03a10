/// The seat balances of every feature code on a customer's active subscription.
public struct SeatBalanceCollection: Sendable, Hashable, Decodable {
    /// Balance per feature code.
    public var balances: [String: SeatBalance]
    /// Whether the balances belong to live (not test) mode.
    public var livemode: Bool?

    /// Creates a collection.
    public init(balances: [String: SeatBalance], livemode: Bool? = nil) {
        self.balances = balances
        self.livemode = livemode
    }
}
