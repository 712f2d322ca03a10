/// The seats of one feature code a customer has now.
public struct SeatBalance: Sendable, Hashable, Decodable {
    /// The current number of seats.
    public var current: Int
    /// When Commet computed the balance (ISO-8601).
    public var asOf: String?
    /// Whether the balance belongs to live (not test) mode.
    public var livemode: Bool?

    /// Creates a balance.
    public init(current: Int, asOf: String? = nil, livemode: Bool? = nil) {
        self.current = current
        self.asOf = asOf
        self.livemode = livemode
    }

    private enum CodingKeys: String, CodingKey {
        case current
        case used
        case asOf
        case livemode
    }

    /// Reads `current`, or the older shape's `used` when `current` is absent.
    public init(from decoder: any Decoder) throws {
        let container = try decoder.container(keyedBy: CodingKeys.self)
        if container.contains(.current) {
            current = try container.decode(Int.self, forKey: .current)
        } else {
            current = try container.decode(Int.self, forKey: .used)
        }
        asOf = try container.decodeIfPresent(String.self, forKey: .asOf)
        livemode = try container.decodeIfPresent(Bool.self, forKey: .livemode)
    }
}
