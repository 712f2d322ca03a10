import Testing

@testable import CommetSeats

struct RetryAfterTests {
    // 2026-11-25T12:00:00Z
    static let now = 1_795_608_000.0

    /// Each accepted `Retry-After` form yields the wait it names, counted from `now`.
    @Test(arguments: [
        ("1", Duration.seconds(1)),
        (" 30 ", .seconds(30)),
        ("0", .seconds(0)),
        ("Wed, 25 Nov 2026 12:00:05 GMT", .seconds(5)),
        ("Wednesday, 25-Nov-26 12:01:00 GMT", .seconds(60)),
        ("Wed Nov 25 12:00:02 2026", .seconds(2)),
        ("Tue, 24 Nov 2026 12:00:00 GMT", .seconds(0)),
    ])
    func parsesSecondsAndDates(value: String, expected: Duration) {
        #expect(RetryAfter.parse(value, now: Self.now) == expected)
    }

    /// Values that are neither delay seconds nor an HTTP-date are not a `Retry-After` at all.
    @Test(arguments: ["", "-1", "1.5", "soon", "Wed, 25 Nov 2026 25:00:00 GMT", "Wed, 25 Foo 2026 12:00:00 GMT"])
    func rejectsInvalidValues(value: String) {
        #expect(RetryAfter.parse(value, now: Self.now) == nil)
    }

    /// The epoch conversion agrees with known instants.
    @Test func convertsKnownDates() {
        #expect(RetryAfter.httpDate("Thu, 01 Jan 1970 00:00:00 GMT") == 0)
        #expect(RetryAfter.httpDate("Sun, 06 Nov 1994 08:49:37 GMT") == 784_111_777)
        #expect(RetryAfter.httpDate("Sunday, 06-Nov-94 08:49:37 GMT") == 784_111_777)
        #expect(RetryAfter.httpDate("Sun Nov  6 08:49:37 1994") == 784_111_777)
        #expect(RetryAfter.httpDate("Sun, 29 Feb 2032 00:00:00 GMT") == 1_961_625_600)
    }
}
