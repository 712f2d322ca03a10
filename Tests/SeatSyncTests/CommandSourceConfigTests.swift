import Foundation
import SeatSources
import SeatSync
import TestSupport
import Testing

/// The keys of a command source (`command`, `timeout`, `max_output`, `env`) as `ConfigLoader` reads them.
@Suite struct CommandSourceConfigTests {
    static func load(
        _ source: String
    ) throws -> (folder: TemporaryDirectory, result: Result<SeatSyncConfig, ConfigError>) {
        let folder = try TemporaryDirectory()
        let path = try folder.write("seat-sync.yaml", "sources:\n  - name: ldap\n    type: ldif\n" + source)
        return (folder, Result { () throws(ConfigError) in try ConfigLoader.load(path: path, environment: [:]) })
    }

    @Test func everyCommandKeyIsRead() throws {
        // Input: a command source with every key set. Expected: the argv, the config's folder as working folder,
        // the env entries, the timeout, max_output in bytes, and a label naming argv[0] as the source's "file".
        let (folder, result) = try Self.load(
            """
                command: [/usr/bin/ldapsearch, -LLL, "-E", "pr=1000/noprompt"]
                timeout: 5m
                max_output: 512MiB
                env: {LDAPTLS_CACERT: /etc/ssl/ldap.pem}
                customer: {rdn: o}
                groups: {editors: editor}

            """
        )
        let settings = try result.get().sourceDefinitions[0].settings
        #expect(
            settings.command
                == SourceCommand(
                    arguments: ["/usr/bin/ldapsearch", "-LLL", "-E", "pr=1000/noprompt"],
                    directory: folder.path,
                    environment: ["LDAPTLS_CACERT": "/etc/ssl/ldap.pem"],
                    timeout: .seconds(300),
                    maxOutput: 512 << 20
                )
        )
        #expect(settings.path == "/usr/bin/ldapsearch (stdout)")
        #expect(settings.maxAge == nil)
    }

    @Test func aCommandSourceDefaultsToTwoMinutesAndOneGiB() throws {
        // Input: a command source with only `command`. Expected: timeout 2m, max_output 1 GiB, no env entries.
        let (_, result) = try Self.load("    command: [./export.sh]\n    customer: {rdn: o}\n    groups: {a: b}\n")
        let command = try #require(try result.get().sourceDefinitions[0].settings.command)
        #expect(command.timeout == .seconds(120))
        #expect(command.maxOutput == 1 << 30)
        #expect(command.environment.isEmpty)
    }

    @Test(arguments: [
        (
            "    path: a.ldif\n    command: [./export.sh]\n",
            "2: sources[0]: path and command are exclusive: a source reads a file or a command's output, not both"
        ),
        (
            "    command: [./export.sh]\n    max_age: 1h\n",
            "5: sources[0].max_age: max_age does not apply to a command source: its output is always fresh"
        ),
        (
            "    path: a.ldif\n    timeout: 1m\n",
            "5: sources[0].timeout: only a command source takes timeout; this source reads path"
        ),
        (
            "    command: []\n",
            "4: sources[0].command: expected the program and its arguments, such as [/usr/bin/ldapsearch, -LLL], found an empty list"
        ),
        ("    command: ./export.sh\n", "4: sources[0].command: expected a list, found \"./export.sh\""),
        (
            "    command: [./export.sh]\n    max_output: 1GB\n",
            "5: sources[0].max_output: expected a size above 0 such as 1GiB, 512MiB, 64KiB or 4096 (bytes), found \"1GB\""
        ),
        (
            "    command: [./export.sh]\n    env: {\"A=B\": c}\n",
            "5: sources[0].env.A=B: \"A=B\" is not an environment variable name"
        ),
    ])
    func invalidCommandSourcesNameFileLineAndKey(source: String, expected: String) throws {
        let (folder, result) = try Self.load(source + "    customer: {rdn: o}\n    groups: {a: b}\n")
        #expect(throws: ConfigError.self) { try result.get() }
        if case .failure(let error) = result {
            #expect(error.description == "\(folder.path)/seat-sync.yaml:\(expected)")
        }
    }

    @Test func theDocsExampleLoads() throws {
        // Input: docs/examples/command-sources.yaml. Expected: it loads; the OpenLDAP source runs ldapsearch -LLL with
        // paged results (-E pr=1000/noprompt) as LDIF, and the API export script runs in the example's folder as JSON.
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("docs/examples/command-sources.yaml").path
        let definitions = try ConfigLoader.load(path: path, environment: [:]).sourceDefinitions
        #expect(definitions.map(\.type) == ["ldif", "json"])
        let ldap = try #require(definitions[0].settings.command)
        #expect(ldap.program == "/usr/bin/ldapsearch")
        #expect(ldap.arguments.contains("-LLL"))
        #expect(ldap.arguments.split(separator: "-E").dropFirst().first?.first == "pr=1000/noprompt")
        let app = try #require(definitions[1].settings.command)
        #expect(app.program == "./snapshot-from-api-export")
        #expect(app.directory == (path as NSString).deletingLastPathComponent)
    }

    @Test func theExampleConfigShowsTheCommandDefaults() throws {
        // Input: config/seat-sync.example.yaml. Expected: its command source shows timeout and max_output at their
        // defaults (2m, 1GiB).
        let path = URL(fileURLWithPath: #filePath)
            .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("config/seat-sync.example.yaml").path
        let commands = try ConfigLoader.load(path: path, environment: [:]).sourceDefinitions.compactMap(
            \.settings.command
        )
        #expect(commands.count == 1)
        #expect(commands.first?.timeout == SourceCommand.defaultTimeout)
        #expect(commands.first?.maxOutput == SourceCommand.defaultMaxOutput)
    }

    @Test(arguments: [("1GiB", 1 << 30), ("512MiB", 512 << 20), ("64KiB", 64 << 10), ("100B", 100), ("4096", 4096)])
    func sizesAreWholeNumbersWithBinaryUnits(text: String, bytes: Int) {
        // Input: a size in the config's notation. Expected: its bytes, and back to the same text in its largest unit.
        #expect(ByteSizeText.parse(text) == bytes)
        #expect(ByteSizeText.format(bytes) == (text == "4096" ? "4KiB" : text))
    }
}
