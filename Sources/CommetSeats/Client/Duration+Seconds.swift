extension Duration {
    /// The duration as fractional seconds, for arithmetic and for log lines.
    var inSeconds: Double {
        let (seconds, attoseconds) = components
        return Double(seconds) + Double(attoseconds) / 1e18
    }

    /// Whole milliseconds, rounded up so a positive duration never becomes 0 ("no limit" to curl).
    var roundedUpMilliseconds: Int {
        let (seconds, attoseconds) = components
        let millis = seconds * 1000 + attoseconds / 1_000_000_000_000_000
        let remainder = attoseconds % 1_000_000_000_000_000
        return Int(clamping: millis + (remainder > 0 ? 1 : 0))
    }

    /// Seconds for a log line or an error message, to the millisecond: `30 s`, `1.5 s`, `0.005 s`.
    var secondsText: String {
        let millis = Int((inSeconds * 1000).rounded())
        let fraction = String(millis % 1000)
        guard millis % 1000 != 0 else { return "\(millis / 1000) s" }
        let digits = String(repeating: "0", count: 3 - fraction.count) + fraction
        return "\(millis / 1000).\(digits.reversed().drop { $0 == "0" }.reversed().map(String.init).joined()) s"
    }
}
