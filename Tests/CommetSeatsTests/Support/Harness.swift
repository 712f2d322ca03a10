import CommetFake
import CommetSeats
import InMemoryLogging
import Logging

/// A fake Commet on 127.0.0.1:0, a client pointed at it, and the client's captured log.
struct Harness {
    static let apiKey = "sk_test_4f1d8a2c9e7b6035"

    let fake: FakeCommet
    let client: CommetSeatsClient
    let logs: InMemoryLogHandler

    /// - Parameters:
    ///   - envelope: whether the fake wraps success bodies in `{"success": true, "data": ...}`.
    ///   - retry: the client's retry policy; by default three quick retries, so the suite stays fast.
    ///   - timeout: the client's per-attempt timeout.
    ///   - requestsPerSecond: the client's rate limit.
    ///   - key: the key the client sends (the fake expects ``apiKey``).
    ///   - path: the API root below the fake's address.
    init(
        envelope: Bool = true,
        retry: RetryPolicy = .quick,
        timeout: Duration = .seconds(10),
        requestsPerSecond: Double? = nil,
        key: String = Harness.apiKey,
        path: String = "/api/v1"
    ) throws {
        fake = try FakeCommet(apiKey: Self.apiKey, envelope: envelope)
        fake.addCustomer("acme", plan: ["editor": 3, "viewer": 10, "admin": 1])
        fake.addCustomer("lapsed", plan: ["editor": 2], subscribed: false)
        fake.addOrganizationFeatures(["auditor"])
        let logs = InMemoryLogHandler()
        var logger = Logger(label: "CommetSeatsTests") { _ in logs }
        logger.logLevel = .trace
        self.logs = logs
        client = try CommetSeatsClient(
            configuration: CommetConfiguration(
                baseURL: "http://127.0.0.1:\(fake.port)\(path)",
                apiKey: APIKey(key),
                timeout: timeout,
                connectTimeout: .seconds(2),
                retry: retry,
                requestsPerSecond: requestsPerSecond
            ),
            logger: logger
        )
    }

    /// The captured log as text lines: level, message and metadata, as a log handler would render them.
    var logLines: [String] {
        logs.entries.map { entry in
            let metadata = entry.metadata.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            return "\(entry.level) \(entry.message) \(metadata.joined(separator: " "))"
        }
    }

    /// The captured warnings.
    var warnings: [InMemoryLogHandler.Entry] {
        logs.entries.filter { $0.level == .warning }
    }
}

extension RetryPolicy {
    /// Three retries a few milliseconds apart.
    static let quick = RetryPolicy(
        maxRetries: 3,
        baseDelay: .milliseconds(5),
        maxDelay: .milliseconds(40),
        maxRetryAfter: .seconds(2),
        jitter: 0.2
    )
}

/// The `CommetError` that `body` threw, or nil when it threw nothing (or something else).
func commetError<T>(_ body: () async throws -> T) async -> CommetError? {
    do {
        _ = try await body()
        return nil
    } catch {
        return error as? CommetError
    }
}
