import TextRules

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

    /// What is wrong with `secret` as a key, or `nil` when it can be sent: the one rule the client's configuration
    /// check and the key loader share, so a key `check-config` accepts is one a pass can use. Commet's keys are
    /// printable ASCII; anything else is a copy-paste accident.
    /// - Returns: a phrase to follow "the API key" or the key's origin: `is empty`, `starts or ends with a space`.
    package static func problem(with secret: some StringProtocol) -> String? {
        if secret.isEmpty { return "is empty" }
        if secret.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains a line break or another control character"
        }
        if secret.first == " " || secret.last == " " { return "starts or ends with a space" }
        if !secret.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) {
            return "contains a space or a non-ASCII character"
        }
        return nil
    }

    /// Replaces every occurrence of the secret in `text`, by the rule of `Redactor`, for text that came from
    /// outside (a server's error message, a curl error) and is about to go into an error or a log line.
    func redacting(_ text: String) -> String {
        Redactor([secret]).redacting(text)
    }
}
