extension Duration {
    /// The duration in seconds, with its fraction: the one conversion SeatSources, SeatSync and the CLI use
    /// (a whole-seconds conversion once made `max_age: 1500ms` act as 1 s).
    package var timeInterval: Double {
        Double(components.seconds) + Double(components.attoseconds) / 1e18
    }

    /// Whole milliseconds, the fraction below a millisecond dropped.
    package var wholeMilliseconds: Int64 {
        components.seconds * 1000 + components.attoseconds / 1_000_000_000_000_000
    }
}
