/// The config's way of writing durations: `250ms`, `30s`, `5m`, `24h`, `7d`, or combined as `1h30m`.
///
/// A bare number is refused on purpose: `timeout: 30` could mean seconds or milliseconds, and a billing
/// daemon should not guess.
package enum DurationText {
    private static let units: [(suffix: String, milliseconds: Int64)] = [
        ("ms", 1), ("s", 1000), ("m", 60_000), ("h", 3_600_000), ("d", 86_400_000),
    ]

    /// Parses `text` as a sequence of `<digits><unit>` parts.
    /// - Returns: the duration, or `nil` when the text is not in that form or overflows.
    package static func parse(_ text: String) -> Duration? {
        var rest = Substring(text)
        guard !rest.isEmpty else { return nil }
        var total: Int64 = 0
        while !rest.isEmpty {
            let digits = rest.prefix { $0.isASCII && $0.isNumber }
            guard !digits.isEmpty, let value = Int64(digits) else { return nil }
            rest = rest.dropFirst(digits.count)
            let letters = rest.prefix { $0.isASCII && $0.isLetter }
            guard let unit = units.first(where: { $0.suffix == letters }) else { return nil }
            rest = rest.dropFirst(letters.count)
            let (part, partOverflow) = value.multipliedReportingOverflow(by: unit.milliseconds)
            let (sum, sumOverflow) = total.addingReportingOverflow(part)
            guard !partOverflow, !sumOverflow else { return nil }
            total = sum
        }
        return .milliseconds(total)
    }

    /// Writes `duration` back in the config's notation, largest units first (`90m` becomes `1h30m`).
    package static func format(_ duration: Duration) -> String {
        var remaining = duration.wholeMilliseconds
        guard remaining > 0 else { return "0s" }
        var text = ""
        for unit in units.reversed() where remaining >= unit.milliseconds {
            text += "\(remaining / unit.milliseconds)\(unit.suffix)"
            remaining %= unit.milliseconds
        }
        return text
    }
}
