import SeatSources
import Testing

@Suite struct DurationTextTests {
    @Test(arguments: [
        ("250ms", Duration.milliseconds(250)),
        ("30s", .seconds(30)),
        ("5m", .seconds(300)),
        ("24h", .seconds(86_400)),
        ("1h30m", .seconds(5_400)),
        ("2d", .seconds(172_800)),
        ("1m30s500ms", .milliseconds(90_500)),
        ("0s", .zero),
    ])
    func parsesUnitsAndCombinations(text: String, expected: Duration) {
        #expect(DurationText.parse(text) == expected)
    }

    @Test(arguments: ["", "30", "s", "5 m", "1.5h", "-5s", "5x", "h5", "5mm", "99999999999999999999d"])
    func refusesAnythingElse(text: String) {
        // A bare number has no unit; a billing daemon must not guess whether 30 means seconds.
        #expect(DurationText.parse(text) == nil)
    }

    @Test(arguments: [
        (Duration.seconds(5_400), "1h30m"),
        (.milliseconds(250), "250ms"),
        (.seconds(300), "5m"),
        (.zero, "0s"),
        (.seconds(86_400 + 1), "1d1s"),
    ])
    func formatsLargestUnitsFirst(duration: Duration, expected: String) {
        #expect(DurationText.format(duration) == expected)
    }
}
