import ArgumentParser
import CommetFake
import Foundation
import TextRules

/// Runs a fake Commet seats server on 127.0.0.1 until SIGTERM or SIGINT.
@main
struct CommetFakeCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "commet-fake",
        abstract: "A loopback fake of the Commet seats API, for tests and scripts."
    )

    @Option(help: "The port to listen on; 0 picks a free one.")
    var port: UInt16 = 0

    @Option(help: "A file holding the API key every request must send as x-api-key.")
    var apiKeyFile: String?

    @Option(help: "A JSON file of customers and features to start with.")
    var seed: String?

    @Option(help: "A pause before every API request, as 20ms or 1s.", transform: LatencyOption.parse)
    var latency: Duration = .zero

    @Flag(help: "Send success bodies bare, without the {\"success\", \"data\"} envelope.")
    var bare = false

    @Option(help: "Admit at most this many API requests per second; the rest get 429.")
    var rateLimit: Int?

    func run() throws {
        let stopped = TerminationSignals()
        let apiKey = try apiKeyFile.map(Self.readKey)
        let fake = try FakeCommet(port: port, apiKey: apiKey, latency: latency, envelope: !bare)
        if let seed {
            try SeedFile.load(from: seed).apply(to: fake)
        }
        if let rateLimit {
            fake.limitRate(requestsPerSecond: rateLimit)
        }
        fake.observeRequests(RequestLog.write)
        // Scripts wait for this line, so it must leave at once even when stdout is a pipe.
        FileHandle.standardOutput.write(Data("commet-fake listening on \(fake.baseURL)\n".utf8))
        stopped.wait()
        fake.stop()
    }

    private static func readKey(from path: String) throws -> String {
        let key = String(decoding: try InputFile.read(path), as: UTF8.self)
            .trimmingASCIIWhitespace()
        guard !key.isEmpty else { throw InputFileError(path: path, problem: "the API key file is empty") }
        return key
    }
}
