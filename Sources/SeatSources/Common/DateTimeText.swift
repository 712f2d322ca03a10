package import Foundation

/// Times as the snapshot and the state folder write them: ISO 8601 / RFC 3339 date-times such as
/// `2026-11-25T12:00:00Z` or `2026-11-25T13:00:00.250+01:00`, with or without fractional seconds.
///
/// Parsed with Foundation's `ISO8601FormatStyle`, which is plain Swift: `ISO8601DateFormatter` goes through ICU,
/// whose first use cost every snapshot read about 1.5 ms and ICU data paged in (3 MiB at the peak together with the
/// config's regular expressions, which `ConfigLoader` no longer compiles either).
package enum DateTimeText {
    private static let whole = Date.ISO8601FormatStyle()
    private static let fractional = Date.ISO8601FormatStyle(includingFractionalSeconds: true)

    /// - Returns: the time, or `nil` when `text` is not a full date-time with a zone.
    package static func parse(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: whole) { return date }
        return try? Date(text, strategy: fractional)
    }
}
