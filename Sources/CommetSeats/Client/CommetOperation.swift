/// What the client was doing when an error arose: one of the six seat operations, or setting itself up.
///
/// The raw values are the names log lines and error descriptions show (`setAll customer=acme: ...`,
/// `operation=setAll`), so they stay as they are.
public enum CommetOperation: String, Sendable, Hashable, CaseIterable, CustomStringConvertible {
    /// `POST /seats`.
    case add
    /// `POST /seats/remove`.
    case remove
    /// `PUT /seats`.
    case set
    /// `PUT /seats/bulk`.
    case setAll
    /// `GET /seats/balance`.
    case balance
    /// `GET /seats/balances`.
    case balances
    /// Checking the configuration and starting the transport, before any request.
    case configure

    public var description: String { rawValue }
}
