import Testing

@Suite struct HelpEndToEndTests {
    @Test func topLevelHelpShowsHowToRunAPass() async throws {
        // Input: `seat-sync --help`, what a new operator types first.
        // Expected: exit 0, and a usage line with the options of a pass (--config, --once, --dry-run), not only
        // `<subcommand>`, plus where all of a pass's options are explained.
        let binary = try SeatSyncBinary.locate()
        let run = try await binary.run(["--help"])
        #expect(run.status == 0)
        let usage = run.stdout.split(separator: "\n").first { $0.hasPrefix("USAGE: ") }
        #expect(
            usage == "USAGE: seat-sync [--config <path>] [--once [--dry-run] [--output <output>] [--allow-decrease]]"
        )
        #expect(run.stdout.contains("       seat-sync <subcommand>\n"))
        let words = run.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("Try a pass with `seat-sync --once --dry-run --config PATH`"))
        #expect(words.contains("`seat-sync run --help` explains every option of a pass"))
    }
}
