import Foundation
import SeatSources
import TestSupport
import Testing

#if canImport(Glibc)
import Glibc
#endif

/// `CommandOutput` against real `/bin/sh` scripts in a temporary folder. Serialized: a script still open for writing
/// in one test, its descriptor inherited by another test's command, cannot be executed (ETXTBSY).
@Suite(.serialized) struct CommandOutputTests {
    /// Writes an executable script `run.sh` and returns a command running it in that folder.
    static func command(
        _ body: String,
        in folder: TemporaryDirectory,
        environment: [String: String] = [:]
    ) throws -> SourceCommand {
        let path = try folder.write("run.sh", "#!/bin/sh\n" + body + "\n")
        #expect(chmod(path, 0o755) == 0)
        return SourceCommand(arguments: ["./run.sh", "an argument"], directory: folder.path, environment: environment)
    }

    static func output(of command: SourceCommand) throws -> String {
        var bytes: [UInt8] = []
        try CommandOutput(command: command).stream { bytes.append(contentsOf: $0) }
        return String(decoding: bytes, as: UTF8.self)
    }

    @Test func theCommandRunsInItsFolderWithOnlyTheMinimalEnvironmentAndItsArguments() throws {
        // Input: a script printing its folder, its first argument and its environment, with env {LDAP_URI: ...}, run
        // by a process whose own environment holds COMMET_API_KEY. Expected: the configured folder, the argument
        // unsplit (no shell), and exactly PATH=/usr/bin:/bin, LANG=C.UTF-8 and LDAP_URI (no COMMET_API_KEY).
        let folder = try TemporaryDirectory()
        setenv("COMMET_API_KEY", "ck_test_never_inherited", 1)
        defer { unsetenv("COMMET_API_KEY") }
        let command = try Self.command(
            #"pwd; echo "$1"; env | grep -v '^PWD=' | grep -v '^SHLVL=' | grep -v '^_=' | sort"#,
            in: folder,
            environment: ["LDAP_URI": "ldaps://ldap.example.com"]
        )
        let lines = try Self.output(of: command).split(separator: "\n").map(String.init)
        #expect(
            lines.map { $0.replacingOccurrences(of: "/private", with: "") } == [
                folder.path, "an argument", "LANG=C.UTF-8", "LDAP_URI=ldaps://ldap.example.com", "PATH=/usr/bin:/bin",
            ]
        )
    }

    @Test func theOutputReachesTheReaderWhileTheCommandStillRuns() throws {
        // Input: a command that prints "first", then prints "second" and exits only once the file `go` exists, which
        // the consumer creates when it gets the first chunk (timeout 60s). Expected: "first" arrives as its own chunk
        // before the command ends, then "second": the output is streamed, not collected until the command exits.
        let folder = try TemporaryDirectory()
        var command = try Self.command(
            "echo first; while [ ! -e go ]; do sleep 0.05; done; echo second",
            in: folder
        )
        command.timeout = .seconds(60)
        var chunks: [String] = []
        try CommandOutput(command: command).stream { chunk in
            chunks.append(String(decoding: chunk, as: UTF8.self))
            if chunks.count == 1 { _ = try folder.write("go", "") }
        }
        #expect(chunks == ["first\n", "second\n"])
    }

    @Test func anErrorShowsOnlyTheLastTwentyLinesOfStderrWithEnvValuesRedacted() throws {
        // Input: a script writing 100 numbered lines to stderr, the last holding its env value `hunter2-secret`, then
        // exiting 3. Expected: exited with status 3, the stderr shown is lines 81 to 100 only, and the secret is cut.
        let folder = try TemporaryDirectory()
        let command = try Self.command(
            #"i=1; while [ $i -lt 100 ]; do echo "line $i" >&2; i=$((i + 1)); done; echo "bind failed for $PASS" >&2; exit 3"#,
            in: folder,
            environment: ["PASS": "hunter2-secret"]
        )
        let lines = (81...99).map { "line \($0)" } + ["bind failed for [REDACTED]"]
        #expect(throws: CommandError.exited(command: "./run.sh", status: 3, stderr: lines)) {
            try Self.output(of: command)
        }
    }

    @Test func aCommandThatPrintsNothingIsAnEmptySourceUnlessAllowed() throws {
        // Input: a CSV source whose command prints nothing and exits 0. Expected: the "holds no records" error naming
        // "./run.sh (stdout)"; with allow_empty the same command reads as no customers.
        let folder = try TemporaryDirectory()
        let command = try Self.command("exit 0", in: folder)
        let options = CSVOptions(columns: .users(customer: "customer", user: "user", role: "role"))
        try expectEmptyUnlessAllowed(
            SourceSettings(name: "cmd", command: command),
            options: options,
            file: "./run.sh (stdout)"
        )
    }

    @Test func aProgramThatDoesNotExistIsNamedWithWhereItWasSought() {
        // Input: argv[0] "ldapsearch-missing", a bare name. Expected: not found, naming /usr/bin and /bin.
        let command = SourceCommand(arguments: ["ldapsearch-missing"], directory: "/")
        #expect(
            throws: CommandError.notFound(
                command: "ldapsearch-missing",
                searched: "/usr/bin/ldapsearch-missing, /bin/ldapsearch-missing"
            )
        ) {
            try Self.output(of: command)
        }
    }
}
