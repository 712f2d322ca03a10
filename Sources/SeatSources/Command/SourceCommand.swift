/// A program whose standard output is a source's bytes, as a `command:` source configures it.
package struct SourceCommand: Sendable, Hashable {
    /// The program and its arguments, run directly (no shell).
    package var arguments: [String]
    /// The folder it runs in: the config file's folder, so relative paths in the arguments mean what they say there.
    package var directory: String
    /// Variables added to the minimal environment (``CommandEnvironment``).
    package var environment: [String: String]
    /// How long the command may run before its process group is killed and the pass stops.
    package var timeout: Duration
    /// The most bytes of output read before the command is killed and the pass stops.
    package var maxOutput: Int

    /// The `timeout` when the config names none.
    package static let defaultTimeout: Duration = .seconds(120)
    /// The `max_output` when the config names none: 1 GiB.
    package static let defaultMaxOutput = 1 << 30

    package init(
        arguments: [String],
        directory: String,
        environment: [String: String] = [:],
        timeout: Duration = defaultTimeout,
        maxOutput: Int = defaultMaxOutput
    ) {
        self.arguments = arguments
        self.directory = directory
        self.environment = environment
        self.timeout = timeout
        self.maxOutput = maxOutput
    }

    /// `argv[0]` as configured: how errors and provenance name the command.
    package var program: String { arguments.first ?? "" }

    /// What a command source's errors and provenance name as its "file": `./export.sh (stdout)`, then `:line`.
    package var label: String { "\(program) (stdout)" }
}
