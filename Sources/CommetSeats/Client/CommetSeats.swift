/// Facts about this library.
public enum CommetSeats {
    /// The library's version, sent in the default `User-Agent`.
    public static let version = "0.2.0"

    /// The Commet API version the client pins with `Commet-Version`; responses keep this version's shape.
    public static let apiVersion = "2026-08-27"
}
