import CommetFake
import Foundation
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// Sources that run a command (issue 16): its output read like a file, and every way it can fail stopping the pass
/// before any Commet call. Serialized: a script still open for writing in one test, its descriptor inherited by a
/// process another test starts, cannot be executed (ETXTBSY).
@Suite(.serialized) struct CommandSourceEndToEndTests {
    static let usersCSV = """
        customer,email,role
        acme,ann@acme.example,editor
        acme,bob@acme.example,editor
        acme,cid@acme.example,admin
        globex,dan@globex.example,viewer

        """

    /// Shaped like `ldapsearch -LLL` output: no version line, no comments.
    static let groupsLDIF = """
        dn: cn=editors,ou=groups,o=acme,dc=example,dc=com
        objectClass: groupOfNames
        cn: editors
        member: uid=ann,ou=people,o=acme,dc=example,dc=com
        member: uid=bob,ou=people,o=acme,dc=example,dc=com

        dn: cn=admins,ou=groups,o=globex,dc=example,dc=com
        objectClass: groupOfNames
        cn: admins
        member: uid=dan,ou=people,o=globex,dc=example,dc=com

        """

    static let customers = ["acme": ["admin": 0, "editor": 0, "viewer": 0], "globex": ["admin": 0, "viewer": 0]]
    static let ldifOptions = "    customer: {rdn: o}\n    groups: {admins: admin, editors: editor}"

    /// A setup whose `hr` CSV file holds only a header (allowed empty), plus `source` after it.
    static func setup(_ source: String, schedule: String = "") throws -> ReconcileSetup {
        let setup = try ReconcileSetup(
            customers: customers,
            hrOptions: "    allow_empty: true",
            sources: source,
            schedule: schedule
        )
        try setup.folder.write("users.csv", "customer,email,role\n")
        return setup
    }

    /// Writes an executable `/bin/sh` script into the setup's folder (the folder commands run in).
    static func script(_ name: String, _ body: String, in setup: ReconcileSetup) throws {
        let path = try setup.folder.write(name, "#!/bin/sh\n" + body + "\n")
        #expect(chmod(path, 0o755) == 0)
    }

    /// Prints `text` exactly, through a quoted here-document so the shell expands nothing in it.
    static func printing(_ text: String) -> String { "cat <<'END'\n\(text)END" }

    /// Runs one pass with JSON logs and requires what a failed source gives: exit 1, exactly one stderr line
    /// holding `error`, and no request to Commet.
    /// - Returns: the pass, for what a test checks beyond that.
    @discardableResult
    static func expectPassStopsBeforeCommet(
        _ setup: ReconcileSetup,
        error: String,
        sourceLocation: SourceLocation = #_sourceLocation
    ) async throws -> SeatSyncBinary.Run {
        let run = try await setup.pass(["--log-format", "json"])
        #expect(run.status == 1, sourceLocation: sourceLocation)
        let errorLines = run.stderr.split(separator: "\n").filter { $0.contains(error) }
        #expect(errorLines.count == 1, "\(run.stderr)", sourceLocation: sourceLocation)
        #expect(setup.fake.ledger.isEmpty, sourceLocation: sourceLocation)
        return run
    }

    static func balances(_ fake: FakeCommet) -> [String: [String: Int]] {
        Dictionary(uniqueKeysWithValues: customers.keys.map { ($0, fake.balances(of: $0)) })
    }

    @Test(arguments: [("csv", usersCSV, "users-twin.csv", ""), ("ldif", groupsLDIF, "groups.ldif", ldifOptions)])
    func aCommandPrintingASourceConvergesLikeTheSameFile(
        type: String,
        text: String,
        file: String,
        options: String
    )
        async throws
    {
        // Input: the same CSV (or LDIF) once as a file source and once printed by a command source. Expected: both
        // passes exit 0 and leave every customer with the same balances, the ones the text says.
        let fileSetup = try Self.setup(
            "  - name: twin\n    type: \(type)\n    path: \(file)\n\(type == "csv" ? "    columns: {customer: customer, user: email, role: role}" : options)"
        )
        defer { fileSetup.fake.stop() }
        try fileSetup.folder.write(file, text)
        let commandSetup = try Self.setup(
            "  - name: twin\n    type: \(type)\n    command: [./print.sh]\n\(type == "csv" ? "    columns: {customer: customer, user: email, role: role}" : options)"
        )
        defer { commandSetup.fake.stop() }
        try Self.script("print.sh", Self.printing(text), in: commandSetup)

        let fromFile = try await fileSetup.pass()
        let fromCommand = try await commandSetup.pass()

        #expect(fromFile.status == 0, "\(fromFile.stderr)")
        #expect(fromCommand.status == 0, "\(fromCommand.stderr)")
        let expected: [String: [String: Int]] =
            type == "csv"
            ? ["acme": ["admin": 1, "editor": 2, "viewer": 0], "globex": ["admin": 0, "viewer": 1]]
            : ["acme": ["admin": 0, "editor": 2, "viewer": 0], "globex": ["admin": 1, "viewer": 0]]
        #expect(Self.balances(fileSetup.fake) == expected)
        #expect(Self.balances(commandSetup.fake) == expected)
    }

    @Test func theDocsExportScriptConverges() async throws {
        // Input: a json command source running docs/examples/snapshot-from-api-export on an API export file (acme:
        // ann an active Editor, bob a suspended Viewer; globex: dan an active Viewer). Expected: the pass exits 0 and
        // Commet holds acme editor 1 viewer 0, globex viewer 1.
        let script = repositoryRoot + "/docs/examples/snapshot-from-api-export"
        let setup = try Self.setup(
            "  - name: app\n    type: json\n    command: [\(script), export.json]\n    roles: {Editor: editor, Viewer: viewer}"
        )
        defer { setup.fake.stop() }
        try setup.folder.write(
            "export.json",
            """
            [{"account_id": "acme", "members": [
               {"email": "ann@acme.example", "role": "Editor", "status": "active"},
               {"email": "bob@acme.example", "role": "Viewer", "status": "suspended"}]},
             {"account_id": "globex", "members": [{"email": "dan@globex.example", "role": "Viewer", "status": "active"}]}]
            """
        )
        let run = try await setup.pass()
        #expect(run.status == 0, "\(run.stderr)")
        #expect(
            Self.balances(setup.fake)
                == ["acme": ["admin": 0, "editor": 1, "viewer": 0], "globex": ["admin": 0, "viewer": 1]]
        )
    }

    @Test func aReaderErrorInACommandsOutputNamesTheCommandAndTheOutputLine() async throws {
        // Input: a command that exits 0 after printing a CSV whose third line has one field too few. Expected: exit 1,
        // one error line naming "./print.sh (stdout):3" and the ragged row, and no request to Commet.
        let setup = try Self.setup(
            "  - name: cmd\n    type: csv\n    command: [./print.sh]\n    columns: {customer: customer, user: email, role: role}"
        )
        defer { setup.fake.stop() }
        try Self.script(
            "print.sh",
            Self.printing("customer,email,role\nacme,ann@acme.example,editor\nacme,bob\n"),
            in: setup
        )
        try await Self.expectPassStopsBeforeCommet(
            setup,
            error: "./print.sh (stdout):3:1: row has 2 fields, header has 3"
        )
    }

    @Test func checkConfigRunsTheCommandAndSaysSoInItsHelp() async throws {
        // Input: `check-config --no-api-key` over a command source printing the users CSV, and `check-config --help`.
        // Expected: the
        // command ran (it leaves ran.txt), the text names the source's output "./print.sh (stdout)" and its 4 users,
        // and the help says a command source's command is run.
        let setup = try Self.setup(
            "  - name: cmd\n    type: csv\n    command: [./print.sh]\n    columns: {customer: customer, user: email, role: role}"
        )
        defer { setup.fake.stop() }
        try Self.script("print.sh", "touch ran.txt\n" + Self.printing(Self.usersCSV), in: setup)
        let run = try await setup.command(["check-config", "--no-api-key"])
        #expect(run.status == 0, "\(run.stderr)")
        #expect(FileManager.default.fileExists(atPath: setup.folder.path + "/ran.txt"))
        #expect(run.stdout.contains("./print.sh (stdout)"), "\(run.stdout)")
        let help = try await setup.command(["check-config", "--help"])
        let words = help.stdout.split(whereSeparator: \.isWhitespace).joined(separator: " ")
        #expect(words.contains("`command:` is read by running its command"), "\(help.stdout)")
    }

    struct Failure: Sendable, CustomTestStringConvertible {
        var name: String
        var script: String
        var options: String
        var error: String
        var testDescription: String { name }
    }

    static let failures = [
        Failure(
            name: "exits 1",
            script: "echo 'ldap_bind: Invalid credentials (49)' >&2\nexit 1",
            options: "",
            error: #"command \"./export.sh\": exited with status 1; stderr: \"ldap_bind: Invalid credentials (49)\""#
        ),
        Failure(
            name: "killed by a signal",
            script: "echo customer,email,role\nkill -KILL $$",
            options: "",
            error: #"command \"./export.sh\": killed by signal 9"#
        ),
        Failure(
            name: "prints more than max_output",
            script: "echo customer,email,role\nwhile :; do echo acme,ann@acme.example,editor; done",
            options: "    max_output: 64KiB",
            error: #"command \"./export.sh\": printed more than max_output 64KiB"#
        ),
    ]

    @Test(arguments: failures)
    func aFailingCommandStopsThePassBeforeAnyCommetCall(failure: Failure) async throws {
        // Input: a command source whose command fails as named. Expected: exit 1, one error line naming the command
        // and what happened (with its stderr), and no request at all to Commet.
        let setup = try Self.setup(
            "  - name: cmd\n    type: csv\n    command: [./export.sh]\n    columns: {customer: customer, user: email, role: role}\n\(failure.options)"
        )
        defer { setup.fake.stop() }
        try Self.script("export.sh", failure.script, in: setup)
        try await Self.expectPassStopsBeforeCommet(setup, error: failure.error)
    }

    @Test func aCommandOutlivingItsTimeoutIsKilledWithItsChildren() async throws {
        // Input: a command that starts a child (`sleep 300`, its pid written to child.pid), prints a header and then
        // sleeps itself, with `timeout: 1s`. Expected: exit 1, one error line naming the command and the timeout,
        // no Commet request, and the child process gone.
        let setup = try Self.setup(
            "  - name: cmd\n    type: csv\n    command: [./export.sh]\n    timeout: 1s\n    columns: {customer: customer, user: email, role: role}"
        )
        defer { setup.fake.stop() }
        try Self.script(
            "export.sh",
            "sleep 300 &\necho $! > child.pid\necho customer,email,role\nsleep 300",
            in: setup
        )
        let run = try await Self.expectPassStopsBeforeCommet(
            setup,
            error: #"command \"./export.sh\": still running after timeout 1s; its process group was killed"#
        )
        let child = try #require(
            pid_t(
                try String(contentsOfFile: setup.folder.path + "/child.pid", encoding: .utf8).trimmingCharacters(
                    in: .whitespacesAndNewlines
                )
            )
        )
        try await poll("the command's child \(child) to be gone", output: run.stderr) {
            Self.isGone(child)
        }
    }

    @Test func theDaemonStopsOnSIGTERMWhileACommandRunsAndKillsIt() async throws {
        // Input: the daemon with a command source that records its pid and then sleeps (timeout 10m, stop_grace 1s);
        // SIGTERM once the command runs. Expected: the daemon exits 0, the command is gone, and Commet got no request.
        let setup = try Self.setup(
            "  - name: cmd\n    type: csv\n    command: [./export.sh]\n    timeout: 10m\n    columns: {customer: customer, user: email, role: role}",
            schedule: "  interval: 1h\n  jitter: 0s\n  stop_grace: 1s"
        )
        defer { setup.fake.stop() }
        try Self.script("export.sh", "echo $$ > command.pid\necho customer,email,role\nsleep 600", in: setup)
        let daemon = try setup.startDaemon()
        let pidFile = setup.folder.path + "/command.pid"
        try await poll("the command to start", output: daemon.output) {
            ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").hasSuffix("\n")
        }
        let command = try #require(
            pid_t(try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines))
        )
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0, "\(daemon.output)")
        #expect(Self.isGone(command))
        #expect(setup.fake.ledger.isEmpty)
    }

    @Test func aStopEndsThePassWithinTheGraceEvenWhenAChildEscapedTheGroupAndHoldsTheOutputOpen() async throws {
        // Input: a command source whose script starts `setsid sleep 600` (a child in a session of its own, which a
        // process-group kill cannot reach, holding the output pipe open) and then sleeps; stop_grace 1s; SIGTERM
        // once the command runs. Expected: the read stops when the pass is cancelled, so the pass ends inside the
        // cancelled-pass limit and the daemon exits 0 with "killed because the pass was cancelled" (not 1 with
        // "the cancelled pass did not end").
        let setup = try Self.setup(
            "  - name: cmd\n    type: csv\n    command: [./export.sh]\n    timeout: 10m\n    columns: {customer: customer, user: email, role: role}",
            schedule: "  interval: 1h\n  jitter: 0s\n  stop_grace: 1s"
        )
        defer { setup.fake.stop() }
        try Self.script(
            "export.sh",
            "setsid sleep 600 &\necho $! > escaped.pid\necho customer,email,role\nsleep 600",
            in: setup
        )
        let daemon = try setup.startDaemon()
        let pidFile = setup.folder.path + "/escaped.pid"
        try await poll("the command to start", output: daemon.output) {
            ((try? String(contentsOfFile: pidFile, encoding: .utf8)) ?? "").hasSuffix("\n")
        }
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0, "\(daemon.output)")
        #expect(daemon.lines("the cancelled pass did not end; exiting without it").isEmpty)
        #expect(
            daemon.lines("pass aborted").first?["error"]?.hasSuffix("killed because the pass was cancelled") == true
        )
        #expect(setup.fake.ledger.isEmpty)
        if let escaped = pid_t(
            try String(contentsOfFile: pidFile, encoding: .utf8).trimmingCharacters(in: .whitespacesAndNewlines)
        ) {
            kill(escaped, SIGKILL)
        }
    }

    @Test func theAPIKeyACommandPrintsToStderrIsRedactedInPassesAndCheckConfig() async throws {
        // Input: the API key handed over as a systemd credential (CREDENTIALS_DIRECTORY); a command that prints that
        // credential to stderr and exits 1; `--once`, then `check-config`. Expected: both exit 1 with the command's
        // error, the credentials folder reached the command (its stderr line is there), and the key appears nowhere.
        let setup = try Self.setup(
            "  - name: cmd\n    type: csv\n    command: [./export.sh]\n    columns: {customer: customer, user: email, role: role}"
        )
        defer { setup.fake.stop() }
        let credentials = try TemporaryDirectory()
        _ = try credentials.write("commet-api-key", ReconcileSetup.key)
        try Self.script(
            "export.sh",
            #"echo "key: $(cat "$CREDENTIALS_DIRECTORY/commet-api-key")" >&2; exit 1"#,
            in: setup
        )
        let environment = ["CREDENTIALS_DIRECTORY": credentials.path]

        let pass = try await setup.pass(environment: environment)
        let check = try await SeatSyncBinary.locate().run(
            ["check-config", "--config", setup.config],
            environment: environment
        )
        for run in [pass, check] {
            let output = run.stdout + run.stderr
            #expect(run.status == 1)
            #expect(output.contains("exited with status 1"), "\(output)")
            #expect(output.contains("key: "), "\(output)")
            #expect(!output.contains(ReconcileSetup.key), "\(output)")
        }
    }

    @Test func aDaemonWhoseOnlySourceIsACommandStillNoticesAnApproval() async throws {
        // Input: the daemon (interval 1h) with one source, a command printing globex with 2 viewers where Commet has
        // 3: the guard holds the decrease; then `seat-sync approve ID`. Expected: the approval arrives without
        // waiting for the interval (the state folder is watched though no source file is), and globex viewer 2 is
        // written once.
        let setup = try ReconcileSetup(customers: ["globex": ["viewer": 3]])
        defer { setup.fake.stop() }
        try setup.folder.write(
            "seat-sync.yaml",
            """
            commet:
              base_url: \(setup.fake.baseURL)
              max_retries: 1
              requests_per_second: 500
            schedule:
              interval: 1h
              jitter: 0s
              debounce: 100ms
            state_dir: state
            sources:
              - name: cmd
                type: csv
                command: [./print.sh]
                columns: {customer: customer, user: email, role: role}
            """
        )
        try Self.script(
            "print.sh",
            Self.printing("customer,email,role\nglobex,a@globex.example,viewer\nglobex,b@globex.example,viewer\n"),
            in: setup
        )
        let daemon = try setup.startDaemon()
        try await daemon.waitForLines("changes held by the guard")
        let approve = try await setup.command(["approve", try await setup.heldSetID()])
        #expect(approve.status == 0, "\(approve.stderr)")
        try await daemon.waitForLines("approval arrived")
        try await daemon.waitForLines("pass finished", count: 2)
        #expect(setup.fake.balances(of: "globex") == ["viewer": 2])
        #expect(setup.writes.map(\.seats) == [["viewer": 2]])
        daemon.send(SIGTERM)
        #expect(try await daemon.waitForExit() == 0)
    }

    /// Whether process `pid` no longer runs: gone, or a zombie (it ran nothing more) waiting for its parent to reap it.
    static func isGone(_ pid: pid_t) -> Bool {
        guard kill(pid, 0) == 0 else { return true }
        let status = (try? String(contentsOfFile: "/proc/\(pid)/stat", encoding: .utf8)) ?? ""
        return status.isEmpty || status.contains(") Z ")
    }
}
