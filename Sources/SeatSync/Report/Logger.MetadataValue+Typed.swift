package import Logging

/// Metadata values that keep their type in JSON log lines.
///
/// `"\(count)"` is a string: `--log-format json` writes it as `"count":"3"`, and a log query has to parse it back.
/// A value made here is written as `"count":3` or `"dry_run":false` instead (logfmt writes `count=3` either way),
/// so a log shipper can compare and sum it:
///
/// ```swift
/// logger.info("pass finished", metadata: ["changed": .number(report.changed), "dry_run": .flag(options.dryRun)])
/// ```
///
/// ``LogLineHandler`` renders any `.stringConvertible` integer, finite floating-point number or `Bool` this way;
/// these helpers only name the intent. Modules that cannot see them (CommetSeats) write `.stringConvertible(x)`.
extension Logger.MetadataValue {
    /// A count, a status code or another whole number, written as a JSON number.
    package static func number(_ value: Int) -> Self { .stringConvertible(value) }

    /// A measurement such as seconds, written as a JSON number (infinity and NaN, which JSON cannot spell, as text).
    package static func number(_ value: Double) -> Self { .stringConvertible(value) }

    /// A yes-or-no fact, written as JSON `true` or `false`.
    package static func flag(_ value: Bool) -> Self { .stringConvertible(value) }
}
