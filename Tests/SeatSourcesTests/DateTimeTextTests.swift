import Foundation
import SeatSources
import Testing

@Suite struct DateTimeTextTests {
    /// Seconds since 1970 of 2026-11-25T12:00:00Z.
    private static let noon = 1_795_608_000.0

    @Test(arguments: [
        ("2026-11-25T12:00:00Z", noon),
        ("2026-11-25T13:00:00+01:00", noon),
        ("2026-11-25T13:00:00+0100", noon),
        ("2026-11-25T07:00:00-05:00", noon),
        ("2026-11-25T13:00:00.250+01:00", noon + 0.25),
        ("2026-11-25T12:00:00.123456Z", noon + 0.123456),
        // RFC 3339 allows a leap second; it is read as the first second of the next minute.
        ("2026-11-25T11:59:60Z", noon),
    ])
    func readsFullDateTimesWithAZone(text: String, seconds: Double) throws {
        // Input: a date-time as a snapshot's generated_at or the state folder writes it.
        // Expected: the instant it names, to the microsecond.
        let date = try #require(DateTimeText.parse(text))
        #expect(abs(date.timeIntervalSince1970 - seconds) < 0.000_001)
    }

    @Test(arguments: [
        "", "2026-11-25", "2026-11-25T12:00:00", "2026-11-25 12:00:00Z", "2026-11-25T12:00Z", "25.11.2026 12:00",
        " 2026-11-25T12:00:00Z", "2026-11-25T12:00:00,5Z", "+2026-11-25T12:00:00Z",
    ])
    func refusesAnythingElse(text: String) {
        // Input: no zone, no time, another layout, or a leading space (which ISO8601DateFormatter let through).
        // Expected: nil, which the snapshot reader reports with the file, line and path.
        #expect(DateTimeText.parse(text) == nil)
    }
}
