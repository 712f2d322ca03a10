import CommetFake
import Foundation
import TestSupport

/// One reconcile scenario: an in-process fake Commet with customers, a temp folder with a users CSV and a config
/// pointing at the fake, and runs of the built binary against them: `seat-sync --once` passes or the daemon.
struct ReconcileSetup {
    static let key = "ck_test_reconcile_Secret_5c4b3a"
    let fake: FakeCommet
    let folder: TemporaryDirectory
    let config: String

    /// - Parameters:
    ///   - customers: the fake's subscribed customers and their plans (feature -> current balance).
    ///   - policy: YAML lines under `policy:` (indented by the caller's two spaces).
    ///   - requestsPerSecond: `commet.requests_per_second`; high by default so tests do not wait on it.
    ///   - concurrency: `commet.concurrency`.
    ///   - maxRetries: `commet.max_retries`; 1 by default so a failing request fails fast.
    ///   - commet: YAML lines added under `commet:` (indented by the caller's two spaces).
    ///   - hrOptions: YAML lines added to the `hr` CSV source (indented by the caller's four spaces).
    ///   - sources: YAML list items added under `sources:` after the `hr` CSV source.
    ///   - schedule: YAML lines under `schedule:` (indented by the caller's two spaces), for daemon runs.
    ///   - latency: the fake's pause before handling every API request.
    ///   - topLevel: YAML lines added at the top level of the config (a `metrics:` section).
    init(
        customers: [String: [String: Int]],
        policy: String = "",
        requestsPerSecond: Int = 500,
        concurrency: Int = 4,
        maxRetries: Int = 1,
        commet: String = "",
        hrOptions: String = "",
        sources: String = "",
        schedule: String = "",
        latency: Duration = .zero,
        topLevel: String = ""
    ) throws {
        fake = try FakeCommet(apiKey: Self.key, latency: latency)
        for (customer, plan) in customers { fake.addCustomer(customer, plan: plan) }
        folder = try TemporaryDirectory()
        config = try folder.write(
            "seat-sync.yaml",
            Self.configText(
                baseURL: fake.baseURL,
                commet: """
                      max_retries: \(maxRetries)
                      requests_per_second: \(requestsPerSecond)
                      concurrency: \(concurrency)
                    \(commet)
                    """,
                policy: policy,
                hrOptions: hrOptions,
                sources: sources,
                schedule: schedule
            ) + "\n" + topLevel
        )
    }

    /// The text of a config: `commet`, `schedule` and `policy` lines go under their sections, `hrOptions` into
    /// the `hr` CSV source, `sources` after it.
    static func configText(
        baseURL: String,
        commet: String = "",
        policy: String = "",
        hrOptions: String = "",
        sources: String = "",
        schedule: String = ""
    ) -> String {
        """
        commet:
          base_url: \(baseURL)
        \(commet)
        schedule:
        \(schedule)
        state_dir: state
        policy:
          role_precedence: [admin, editor, viewer]
        \(policy)
        sources:
          - name: hr
            type: csv
            path: users.csv
            columns: {customer: customer, user: email, role: role}
        \(hrOptions)
        \(sources)
        """
    }

    /// Writes `users.csv` with one user per seat: `seats` is customer -> feature -> number of users holding it.
    func writeUsers(_ seats: [String: [String: Int]]) throws {
        try folder.write("users.csv", Self.usersCSV(seats))
    }

    /// Replaces `users.csv` the way writers are told to: a temporary file in the same folder, renamed into place.
    func replaceUsers(_ seats: [String: [String: Int]]) throws {
        let temporary = try folder.write("users.csv.tmp", Self.usersCSV(seats))
        guard rename(temporary, folder.path + "/users.csv") == 0 else { throw POSIXError(.init(rawValue: errno)!) }
    }

    private static func usersCSV(_ seats: [String: [String: Int]]) -> String {
        var csv = "customer,email,role\n"
        for (customer, features) in seats.sorted(by: { $0.key < $1.key }) {
            for (feature, count) in features.sorted(by: { $0.key < $1.key }) where count > 0 {
                for index in 1...count { csv += "\(customer),\(feature)\(index)@\(customer).example,\(feature)\n" }
            }
        }
        return csv
    }

    /// `seat-sync --once <flags> --config <config>` with the API key in the environment.
    /// - Parameters:
    ///   - environment: more variables, such as `COMMET_BASE_URL`.
    ///   - user: a user id to run as (root tests only).
    func pass(
        _ flags: [String] = [],
        environment: [String: String] = [:],
        asUser user: UInt32? = nil
    ) async throws
        -> SeatSyncBinary.Run
    {
        try await launchPass(flags, environment: environment, asUser: user).finish()
    }

    /// Starts `seat-sync --once <flags> --config <config>` and returns while it runs.
    func launchPass(
        _ flags: [String] = [],
        environment: [String: String] = [:],
        asUser user: UInt32? = nil
    ) throws
        -> SeatSyncBinary.Running
    {
        try SeatSyncBinary.locate().launch(
            ["--once"] + flags + ["--config", config],
            environment: environment.merging(["COMMET_API_KEY": Self.key]) { _, key in key },
            asUser: user
        )
    }

    /// `seat-sync <command> <arguments> --config <config>`, for `held` and `approve`.
    func command(_ arguments: [String], asUser user: UInt32? = nil) async throws -> SeatSyncBinary.Run {
        try await SeatSyncBinary.locate().run(arguments + ["--config", config], asUser: user)
    }

    /// The held set's id, as `seat-sync held --output json` gives it.
    func heldSetID() async throws -> String {
        let run = try await command(["held", "--output", "json"])
        let document = try JSONSerialization.jsonObject(with: Data(run.stdout.utf8)) as? [String: Any]
        guard run.status == 0, let id = document?["set_id"] as? String else {
            throw HeldListingFailed(run: run)
        }
        return id
    }

    struct HeldListingFailed: Error {
        var run: SeatSyncBinary.Run
    }

    /// The state folder of the config (`state_dir: state`).
    var stateFolder: String { folder.path + "/state" }

    /// Starts `seat-sync` as a daemon with the API key and `environment` in its environment.
    /// - Parameter logFormat: `json` (what ``DaemonProcess/log`` parses) or `logfmt`.
    func startDaemon(logFormat: String = "json", environment: [String: String] = [:]) throws -> DaemonProcess {
        try DaemonProcess(
            SeatSyncBinary.locate().launch(
                ["--config", config, "--log-format", logFormat],
                environment: environment.merging(["COMMET_API_KEY": Self.key]) { _, key in key }
            )
        )
    }

    /// The `setAll` requests the fake received since the last ledger reset.
    var writes: [LedgerEntry] { fake.ledger.filter { $0.route == .setAll } }
}
