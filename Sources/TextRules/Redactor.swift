/// Cuts secrets out of text: the one rule for which secrets are long enough to redact and what stands in their
/// place, shared by the Commet client (a server's text that echoes the key), command sources (the stderr of a
/// command given a password in `env:`) and the log sink (every line, as the last line of defence).
///
/// Matching is on the secret's bytes, not on characters, so a secret followed by a combining mark in the text is
/// still found. Where two secrets overlap, the marker covers both, so no part of either is left over.
package struct Redactor: Sendable {
    /// What stands where a secret was. One marker for every layer, so an operator searches for one string; upper
    /// case, so it stands out in a log line.
    package static let marker = "[REDACTED]"

    /// Secrets shorter than this, in characters, are not redacted. A short string turns up in ordinary text by
    /// chance: an `env:` value such as `true` or `prod` cut out of a command's stderr, or a short key cut out of
    /// every log line, would mangle the words that hold it and point at the secret besides. No real secret is this
    /// short: Commet's keys run to dozens of characters, and a password of five characters protects nothing.
    package static let minimumLength = 6

    /// The secrets cut out: each at least ``minimumLength`` characters, without repeats.
    package private(set) var secrets: [String] = []

    /// A redactor that cuts out nothing until secrets are added.
    package init() {}

    /// A redactor for `secrets`; those shorter than ``minimumLength`` are left out.
    package init(_ secrets: some Sequence<String>) {
        for secret in secrets { add(secret) }
    }

    /// Whether `secret` is long enough to be cut out of text.
    package static func isRedactable(_ secret: some StringProtocol) -> Bool {
        secret.count >= minimumLength
    }

    /// Adds a secret to cut out; one too short to redact, or already there, changes nothing.
    package mutating func add(_ secret: String) {
        guard Self.isRedactable(secret), !secrets.contains(secret) else { return }
        secrets.append(secret)
    }

    /// `text` with every occurrence of every secret replaced by ``marker``; overlapping or adjacent occurrences
    /// become one marker.
    package func redacting(_ text: String) -> String {
        var found: [Range<String.Index>] = []
        for secret in secrets {
            found += Self.occurrences(of: secret, in: text)
        }
        guard !found.isEmpty else { return text }
        found.sort { $0.lowerBound < $1.lowerBound }
        var covered: [Range<String.Index>] = []
        for range in found {
            if let last = covered.last, range.lowerBound <= last.upperBound {
                covered[covered.count - 1] = last.lowerBound..<max(last.upperBound, range.upperBound)
            } else {
                covered.append(range)
            }
        }
        // A match of a whole secret's bytes starts and ends on scalar boundaries (UTF-8 is self-synchronising),
        // so the text between matches is whole scalars.
        var result = String.UnicodeScalarView()
        var position = text.startIndex
        for range in covered {
            result.append(contentsOf: text.unicodeScalars[position..<range.lowerBound])
            result.append(contentsOf: Self.marker.unicodeScalars)
            position = range.upperBound
        }
        result.append(contentsOf: text.unicodeScalars[position...])
        return String(result)
    }

    /// Every place `secret`'s bytes start in `text`, overlapping ones too: `abcabc` twice in `abcabcabc`.
    private static func occurrences(of secret: String, in text: String) -> [Range<String.Index>] {
        let bytes = text.utf8
        let needle = secret.utf8
        guard let head = needle.first else { return [] }
        var found: [Range<String.Index>] = []
        var start = bytes.startIndex
        while let candidate = bytes[start...].firstIndex(of: head) {
            if bytes[candidate...].starts(with: needle) {
                found.append(candidate..<bytes.index(candidate, offsetBy: needle.count))
            }
            start = bytes.index(after: candidate)
        }
        return found
    }
}
