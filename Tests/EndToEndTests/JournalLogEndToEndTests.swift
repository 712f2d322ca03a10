import CommetFake
import Foundation
import TestSupport
import Testing

@Suite struct JournalLogEndToEndTests {
    /// The syslog priority journald expects before a line of each level.
    private static let priorities = [
        "trace": 7, "debug": 7, "info": 6, "notice": 5, "warning": 4, "error": 3, "critical": 2,
    ]

    @Test func aPassLoggingToTheJournalPrefixesEachLineWithItsLevelsPriority() async throws {
        // Input: seat-sync --once --dry-run --log-format json with stderr the journal stream (JOURNAL_STREAM is
        // its DEV:INODE); the fake answers acme's first balance read with a 503.
        // Expected: every stderr line is <N> then a JSON object, N the priority of its level (info 6, warning 4);
        // the retry warning is there, carrying the HTTP status as the JSON number 503.
        let setup = try ReconcileSetup(
            customers: ["acme": ["editor": 1]],
            commet: "  retry_base_delay: 10ms\n  retry_max_delay: 10ms"
        )
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 2]])
        setup.fake.inject([.status(503, code: "internal_error")], on: .balances, customer: "acme")

        let run = try await SeatSyncBinary.locate().run(
            ["--once", "--dry-run", "--log-format", "json", "--config", setup.config],
            environment: ["COMMET_API_KEY": ReconcileSetup.key],
            stderrIsJournal: true
        )
        #expect(run.status == 2, "\(run.stderr)")
        let lines = run.stderr.split(separator: "\n").map(String.init)
        #expect(!lines.isEmpty)
        var levels: [String] = []
        var retries: [[String: Any]] = []
        for line in lines {
            let match = try #require(line.wholeMatch(of: /<([0-7])>(\{.*\})/), "\(line)")
            let object = try #require(
                try JSONSerialization.jsonObject(with: Data(match.output.2.utf8)) as? [String: Any],
                "\(line)"
            )
            let level = try #require(object["level"] as? String)
            #expect(Int(match.output.1) == Self.priorities[level], "\(line)")
            levels.append(level)
            if (object["msg"] as? String)?.hasPrefix("Commet request failed, retry in") == true {
                retries.append(object)
            }
        }
        #expect(levels.contains("info") && levels.contains("warning"))
        #expect(retries.count == 1, "\(run.stderr)")
        let retry = try #require(retries.first)
        #expect(retry["level"] as? String == "warning")
        #expect(retry["status"] as? Int == 503)
    }

    @Test func aFailingCommandWritesItsErrorToTheJournalAsAnError() async throws {
        // Input: seat-sync check-config on a config whose line 3 misspells `timeout`, stderr the journal stream.
        // Expected: exit 1 and the one error line on stderr with the <3> prefix, so `journalctl -p err` shows it.
        let folder = try TemporaryDirectory()
        let config = try folder.write(
            "seat-sync.yaml",
            "commet:\n  base_url: https://commet.co/api/v1\n  tiemout: 30s\nsources:\n  - {name: hr, type: csv, path: u.csv}\n"
        )
        let run = try await SeatSyncBinary.locate().run(["check-config", "--config", config], stderrIsJournal: true)
        #expect(run.status == 1)
        #expect(run.stderr == "<3>error: \(config):3: commet.tiemout: unknown key; did you mean \"timeout\"?\n")
    }

    @Test func aUsageErrorIsAnErrorInTheJournalToo() async throws {
        // Input: seat-sync check-config --no-such-flag, stderr the journal stream.
        // Expected: exit 64; every line of the message (error, usage, hint) starts with <3>.
        let run = try await SeatSyncBinary.locate().run(["check-config", "--no-such-flag"], stderrIsJournal: true)
        #expect(run.status == 64)
        let lines = run.stderr.split(separator: "\n", omittingEmptySubsequences: false).dropLast()
        #expect(lines.first == "<3>Error: Unknown option '--no-such-flag'", "\(run.stderr)")
        #expect(lines.count > 1 && lines.allSatisfy { $0.hasPrefix("<3>") }, "\(run.stderr)")
    }

    @Test func aJournalStreamThatIsNotStderrIsIgnored() async throws {
        // Input: the same broken config, with JOURNAL_STREAM naming another file (inherited, stderr redirected).
        // Expected: the error line without a priority prefix.
        let folder = try TemporaryDirectory()
        let config = try folder.write("seat-sync.yaml", "commet:\n  tiemout: 30s\n")
        var status = stat()
        guard stat(config, &status) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
        let run = try await SeatSyncBinary.locate().run(
            ["check-config", "--config", config],
            environment: ["JOURNAL_STREAM": "\(status.st_dev):\(status.st_ino)"]
        )
        #expect(run.status == 1)
        #expect(run.stderr.hasPrefix("error: \(config):2: commet.tiemout: unknown key"), "\(run.stderr)")
    }
}
