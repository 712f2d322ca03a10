import CommetFake
import TestSupport

/// A fake Commet on 127.0.0.1 with a key, and a config pointing seat-sync at it, for `seat-sync seats` runs.
struct SeatsSetup {
    static let key = "ck_test_e2e_Secret_9f8e7d"
    let fake: FakeCommet
    let folder: TemporaryDirectory
    let config: String
    var environment: [String: String] { ["COMMET_API_KEY": Self.key] }

    /// - Parameters:
    ///   - maxRetries: `commet.max_retries`.
    ///   - commet: more lines of the `commet:` section.
    init(maxRetries: Int = 1, commet: String = "") throws {
        fake = try FakeCommet(apiKey: Self.key)
        folder = try TemporaryDirectory()
        config = try folder.write(
            "seat-sync.yaml",
            """
            commet:
              base_url: \(fake.baseURL)
              max_retries: \(maxRetries)
            \(commet)
            sources:
              - {name: hr, type: csv, path: users.csv}
            """
        )
    }

    /// `seats <arguments>` with the config, at debug level so every log line the client has is written.
    func seats(_ arguments: [String], environment: [String: String]? = nil) async throws -> SeatSyncBinary.Run {
        try await SeatSyncBinary.locate().run(
            ["seats"] + arguments + ["--config", config, "--log-level", "debug"],
            environment: environment ?? self.environment
        )
    }
}
