import CommetFake
import Foundation
import TestSupport
import Testing

/// The unit's `ExecReload=` command lines, run the way systemd runs them: in order, each one only when the one before
/// it succeeded (a line prefixed `-` may fail), the exit status of the first failing line being the reload's.
private struct UnitReload {
    /// Each line's words, and whether its failure is ignored (`-` prefix).
    let lines: [(words: [String], mayFail: Bool)]

    /// Reads `ExecReload=` out of systemd/seat-sync.service, with the installed paths and `$MAINPID` replaced.
    /// - Throws: for a command line this simple reading cannot run faithfully (quotes, escapes, other variables or
    ///   prefixes), rather than running something else than systemd would.
    init(binary: String, config: String, mainPID: Int32) throws {
        let unit = try String(contentsOfFile: repositoryRoot + "/systemd/seat-sync.service", encoding: .utf8)
        var lines: [(words: [String], mayFail: Bool)] = []
        for line in unit.split(separator: "\n") where line.hasPrefix("ExecReload=") {
            var command = line.dropFirst("ExecReload=".count).trimmingCharacters(in: .whitespaces)
            // An empty assignment resets the list, as in systemd.
            guard !command.isEmpty else {
                lines = []
                continue
            }
            let mayFail = command.hasPrefix("-")
            if mayFail { command.removeFirst() }
            guard command.hasPrefix("/"), !command.contains(where: { "\"'\\;".contains($0) }) else {
                throw Unsupported(line: String(line))
            }
            let words = try command.split(whereSeparator: \.isWhitespace).map { word -> String in
                switch word {
                case "/usr/local/bin/seat-sync": return binary
                case "/etc/seat-sync/seat-sync.yaml": return config
                case "$MAINPID", "${MAINPID}": return "\(mainPID)"
                default:
                    guard !word.contains("$") else { throw Unsupported(line: String(line)) }
                    return String(word)
                }
            }
            lines.append((words, mayFail))
        }
        self.lines = lines
    }

    struct Unsupported: Error, CustomStringConvertible {
        var line: String
        var description: String { "cannot run \(line) faithfully outside systemd" }
    }

    /// Runs the lines with `environment`.
    /// - Returns: the reload's exit status, and what the lines wrote to stderr.
    func run(environment: [String: String]) async throws -> (status: Int32, stderr: String) {
        var stderr = ""
        for line in lines {
            // SeatSyncBinary runs any executable the way it runs seat-sync: exactly this environment, output kept.
            let run = try await SeatSyncBinary(path: line.words[0]).run(
                Array(line.words.dropFirst()),
                environment: environment
            )
            stderr += run.stderr
            if run.status != 0 && !line.mayFail { return (run.status, stderr) }
        }
        return (0, stderr)
    }
}

@Suite struct SystemdReloadEndToEndTests {
    @Test func theUnitsReloadFailsOnABrokenConfigWithoutSignallingAndReloadsAGoodOne() async throws {
        // Input: a running daemon (interval 300ms); its config replaced by one with concurrency 0, then the unit's
        // ExecReload= lines run as systemd runs them ($MAINPID the daemon's pid); then a valid config with
        // interval 1h, and the lines run again.
        // Expected: the first reload exits non-zero with the error naming file, line and key, and the daemon gets
        // no SIGHUP (two more passes go by without a "reloading config" line); the second exits 0 and the daemon
        // logs "config reloaded" with interval=1h, after exactly one "reloading config".
        let setup = try ReconcileSetup(customers: ["acme": ["editor": 1]], schedule: "  interval: 300ms\n  jitter: 0s")
        defer { setup.fake.stop() }
        try setup.writeUsers(["acme": ["editor": 1]])
        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("pass finished")
        let reload = try UnitReload(binary: SeatSyncBinary.locate().path, config: setup.config, mainPID: daemon.pid)
        #expect(reload.lines.count >= 2, "ExecReload= should check the config, then signal")
        let environment = ["COMMET_API_KEY": ReconcileSetup.key]

        try setup.folder.write(
            "seat-sync.yaml",
            ReconcileSetup.configText(baseURL: setup.fake.baseURL, commet: "  concurrency: 0")
        )
        let refused = try await reload.run(environment: environment)
        #expect(refused.status != 0)
        #expect(
            refused.stderr.contains("error: \(setup.config):3: commet.concurrency: must be between 1 and 64, found 0"),
            "\(refused.stderr)"
        )
        let passesBefore = daemon.lines("pass finished").count
        try await daemon.waitForLines("pass finished", count: passesBefore + 2)
        #expect(daemon.lines("reloading config").isEmpty, "\(daemon.output)")
        #expect(daemon.isRunning)

        try setup.folder.write(
            "seat-sync.yaml",
            ReconcileSetup.configText(baseURL: setup.fake.baseURL, schedule: "  interval: 1h\n  jitter: 0s")
        )
        let taken = try await reload.run(environment: environment)
        #expect(taken.status == 0, "\(taken.stderr)")
        try await daemon.waitForLines("config reloaded")
        #expect(daemon.lines("config reloaded").first?["interval"] == "1h")
        #expect(daemon.lines("reloading config").count == 1)
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    @Test func checkForReloadChecksTheKeyButNotTheSources() async throws {
        // Input: check-config --for-reload on a valid config whose users.csv does not exist, with the API key
        // in the environment, then without any key.
        // Expected: exit 0 and no output with the key (the daemon reads sources at each pass, not at reload);
        // exit 1 naming where the key was looked for without it, as the daemon's reload would refuse it.
        let setup = try ReconcileSetup(customers: [:])
        defer { setup.fake.stop() }
        let binary = try SeatSyncBinary.locate()
        let arguments = ["check-config", "--for-reload", "--config", setup.config]

        let withKey = try await binary.run(arguments, environment: ["COMMET_API_KEY": ReconcileSetup.key])
        #expect(withKey.status == 0, "\(withKey.stderr)")
        #expect(withKey.stdout == "")
        #expect(withKey.stderr == "")

        let withoutKey = try await binary.run(arguments)
        #expect(withoutKey.status == 1)
        #expect(withoutKey.stderr.hasPrefix("error: no Commet API key found"), "\(withoutKey.stderr)")
    }
}
