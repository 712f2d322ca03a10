/// A Commet API key that never prints itself.
///
/// `description`, `debugDescription` and mirrors all show `APIKey(redacted)`, so a key that ends up in
/// string interpolation, `dump` or an error message does not leak.
public struct APIKey: Sendable, CustomStringConvertible, CustomDebugStringConvertible, CustomReflectable {
    let secret: String

    /// Wraps a secret key.
    /// - Parameter secret: the key as issued by the Commet dashboard.
    public init(_ secret: String) {
        self.secret = secret
    }

    public var description: String { "APIKey(redacted)" }

    public var debugDescription: String { description }

    public var customMirror: Mirror { Mirror(self, children: [], displayStyle: .struct) }

    /// Replaces every occurrence of the secret in `text`, for text that came from outside (a server's error
    /// message, a curl error) and is about to go into an error or a log line.
    func redacting(_ text: String) -> String {
        guard secret.count >= 4, text.contains(secret) else { return text }
        return text.replacing(secret, with: "[redacted]")
    }
}
