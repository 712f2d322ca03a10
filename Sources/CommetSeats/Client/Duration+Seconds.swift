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

    /// Seconds for a log line or an error message: `1.5 s`, `30 s`.
    var secondsText: String {
        let tenths = (inSeconds * 10).rounded()
        return tenths.truncatingRemainder(dividingBy: 10) == 0
            ? "\(Int(tenths / 10)) s" : "\(tenths / 10) s"
    }
}
