/// One of the six Commet seat operations the fake serves.
package enum Route: String, Sendable, CaseIterable {
    /// `POST /seats`
    case add
    /// `POST /seats/remove`, or the older `DELETE /seats`
    case remove
    /// `PUT /seats`
    case set
    /// `PUT /seats/bulk`
    case setAll
    /// `GET /seats/balance`
    case balance
    /// `GET /seats/balances`
    case balances

    /// Whether the operation changes balances (and so takes an `Idempotency-Key`).
    package var isWrite: Bool {
        switch self {
        case .add, .remove, .set, .setAll: true
        case .balance, .balances: false
        }
    }

    /// The route a method and a path below the API root (`/seats/...`) name, if any.
    init?(method: String, path: String) {
        switch (method, path) {
        case ("POST", "/seats"): self = .add
        case ("POST", "/seats/remove"), ("DELETE", "/seats"): self = .remove
        case ("PUT", "/seats"): self = .set
        case ("PUT", "/seats/bulk"): self = .setAll
        case ("GET", "/seats/balance"): self = .balance
        case ("GET", "/seats/balances"): self = .balances
        default: return nil
        }
    }
}
