import CommetFake
import InMemoryLogging
import Logging
import TestSupport
import Testing

@testable import CommetSeats

/// The retry rules, with the fake's ledger as the witness of what was sent.
struct ClientRetryTests {
    /// 503, 503, 200 on setAll -> three requests under one key, success on the third, two warnings naming
    /// operation, customer, status, code, request id, attempt and the wait.
    @Test func retriesServerErrorsUnderOneKey() async throws {
        let harness = try Harness()
        harness.fake.inject(
            [.status(503, code: "internal_error"), .status(503, code: "internal_error")],
            on: .setAll
        )
        let response = try await harness.client.setAll(customerID: "acme", seats: ["editor": 6])
        #expect(response.attempts == 3)
        #expect(response.value.first?.newBalance == 6)
        let ledger = harness.fake.ledger
        #expect(ledger.map(\.status) == [503, 503, 200])
        #expect(Set(ledger.map(\.idempotencyKey)).count == 1)
        #expect(ledger[0].idempotencyKey != nil)
        #expect(ledger.map(\.applied) == [false, false, true])
        #expect(response.requestID == ledger[2].requestID)
        let warnings = harness.warnings
        #expect(warnings.count == 2)
        for (index, warning) in warnings.enumerated() {
            #expect("\(warning.message)".hasPrefix("Commet request failed, retry in "))
            #expect(warning.metadata["operation"] == "setAll")
            #expect(warning.metadata["customer"] == "acme")
            #expect(warning.metadata["status"] == .stringConvertible(503))
            #expect(warning.metadata["code"] == "internal_error")
            #expect(warning.metadata["request_id"] == "\(ledger[index].requestID ?? "")")
            #expect(warning.metadata["attempt"] == "\(index + 1)/4")
            #expect(warning.metadata["retry_in"] != nil)
        }
    }

    /// 429 without Retry-After -> one request, and the error says so.
    @Test func rateLimitWithoutRetryAfterIsNotRetried() async throws {
        let harness = try Harness()
        harness.fake.inject([.status(429, code: "rate_limited")], on: .balances)
        let error = try #require(await commetError { try await harness.client.balances(customerID: "acme") })
        #expect(error.status == 429)
        #expect(error.code == "rate_limited")
        #expect(error.retryAfter == nil)
        #expect(error.attempts == 1)
        #expect(harness.fake.ledger.count == 1)
        #expect(harness.warnings.isEmpty)
    }

    /// 429 with Retry-After: 1 -> two requests, the second at least one second after the first answer.
    @Test func rateLimitWithRetryAfterWaitsExactlyThatLong() async throws {
        let harness = try Harness()
        harness.fake.inject([.status(429, code: "rate_limited", retryAfter: "1")], on: .balances)
        let clock = ContinuousClock()
        let started = clock.now
        let response = try await harness.client.balances(customerID: "acme")
        #expect(clock.now - started >= .seconds(1))
        #expect(response.attempts == 2)
        #expect(harness.fake.ledger.map(\.status) == [429, 200])
        #expect(harness.warnings.only?.metadata["retry_in"] == "1 s")
    }

    /// The connection drops after setAll was applied -> retried with the same key; the fake replays the stored
    /// answer, so the write is applied once.
    @Test func droppedConnectionAfterApplyingIsReplayed() async throws {
        let harness = try Harness()
        harness.fake.inject([.dropAfterApplying], on: .setAll)
        let response = try await harness.client.setAll(customerID: "acme", seats: ["editor": 8, "admin": 0])
        #expect(response.attempts == 2)
        #expect(
            Dictionary(uniqueKeysWithValues: response.value.map { ($0.featureCode, $0.newBalance) }) == [
                "editor": 8, "admin": 0,
            ]
        )
        let ledger = harness.fake.ledger
        #expect(ledger.count == 2)
        #expect(ledger[0].idempotencyKey == ledger[1].idempotencyKey)
        #expect(ledger.map(\.status) == [0, 200])
        #expect(ledger.map(\.applied) == [true, false])
        #expect(ledger.map(\.replayed) == [false, true])
        #expect(harness.fake.balances(of: "acme") == ["editor": 8, "viewer": 10, "admin": 0])
        #expect(harness.warnings.only?.metadata["failure"] == "connection")
    }

    /// The connection drops before a read is handled -> read again, success.
    @Test func droppedConnectionBeforeHandlingIsRetried() async throws {
        let harness = try Harness()
        harness.fake.inject([.dropBeforeHandling], on: .balance)
        let response = try await harness.client.balance(customerID: "acme", featureCode: "viewer")
        #expect(response.value.current == 10)
        #expect(response.attempts == 2)
        #expect(harness.fake.ledger.map(\.status) == [0, 200])
    }

    /// A response slower than the timeout, retries off -> a timeout error after one attempt.
    @Test func slowResponseTimesOut() async throws {
        let harness = try Harness(retry: .never, timeout: .milliseconds(300))
        harness.fake.inject([.delay(.seconds(2))], on: .balance)
        let error = try #require(
            await commetError { try await harness.client.balance(customerID: "acme", featureCode: "editor") }
        )
        #expect(error.kind == .timeout)
        #expect(error.attempts == 1)
        #expect(error.isRetryable)
        #expect(error.description.hasPrefix("balance customer=acme: timed out: no complete response within 0.3 s"))
    }

    /// A write that times out while the fake is still working on it -> retried under the same key: the fake
    /// answers idempotency_in_progress until the first finishes, then replays it; applied once.
    @Test func timedOutWriteIsRetriedUntilReplayed() async throws {
        let retry = RetryPolicy(maxRetries: 8, baseDelay: .milliseconds(100), maxDelay: .milliseconds(200), jitter: 0)
        let harness = try Harness(retry: retry, timeout: .milliseconds(300))
        harness.fake.inject([.delay(.milliseconds(900))], on: .set)
        let response = try await harness.client.set(customerID: "acme", featureCode: "viewer", count: 12)
        #expect(response.value.newBalance == 12)
        let ledger = harness.fake.ledger
        #expect(Set(ledger.map(\.idempotencyKey)).count == 1)
        #expect(ledger.filter(\.applied).count == 1)
        #expect(ledger.last?.replayed == true)
        #expect(ledger.dropFirst().dropLast().allSatisfy { $0.status == 409 })
        #expect(response.attempts == ledger.count)
        #expect(harness.fake.balances(of: "acme")["viewer"] == 12)
    }

    /// 409 idempotency_in_progress, then success -> two requests, one key.
    @Test func idempotencyInProgressIsRetried() async throws {
        let harness = try Harness()
        harness.fake.inject([.status(409, code: "idempotency_in_progress")], on: .add)
        let response = try await harness.client.add(customerID: "acme", featureCode: "admin", count: 1)
        #expect(response.attempts == 2)
        #expect(response.value.newBalance == 2)
        let ledger = harness.fake.ledger
        #expect(ledger.map(\.status) == [409, 200])
        #expect(ledger[0].idempotencyKey == ledger[1].idempotencyKey)
    }

    /// Four 500s with three retries -> four requests under one key, then the last error with attempts = 4.
    @Test func exhaustedRetriesReportTheLastError() async throws {
        let harness = try Harness()
        harness.fake.inject(Array(repeating: .status(500, code: "internal_error"), count: 4), on: .set)
        let error = try #require(
            await commetError { try await harness.client.set(customerID: "acme", featureCode: "editor", count: 1) }
        )
        let ledger = harness.fake.ledger
        #expect(ledger.count == 4)
        #expect(Set(ledger.map(\.idempotencyKey)).count == 1)
        #expect(error.attempts == 4)
        #expect(error.status == 500)
        #expect(error.requestID == ledger.last?.requestID)
        #expect(error.description.hasSuffix("[request_id=\(ledger.last?.requestID ?? ""), attempts=4]"))
        #expect(harness.warnings.count == 3)
        #expect(harness.fake.balances(of: "acme")["editor"] == 3)
    }

    /// Nothing listens on the port -> a connection error after every retry.
    @Test func refusedConnectionIsRetriedThenReported() async throws {
        let closed = try RefusingPort()
        let logs = InMemoryLogHandler()
        let client = try CommetSeatsClient(
            configuration: CommetConfiguration(
                baseURL: "http://127.0.0.1:\(closed.port)/api/v1",
                apiKey: APIKey(Harness.apiKey),
                retry: .quick
            ),
            logger: Logger(label: "test") { _ in logs }
        )
        let error = try #require(await commetError { try await client.balances(customerID: "acme") })
        #expect(error.kind == .connection)
        #expect(error.attempts == 4)
        #expect(error.isRetryable)
        #expect(error.requestID == nil)
        #expect(error.description.hasPrefix("balances customer=acme: connection failed: "))
        #expect(logs.entries.filter { $0.level == .warning }.count == 3)
    }

    /// Cancelling the calling task aborts a transfer in progress: a read the fake holds for 60 s, with a client
    /// timeout of 120 s, cancelled once the fake has it, ends as `cancelled` after that one request (without the
    /// abort it would end 200 after 60 s). The wait for the request to arrive is generous: on a machine at load 25 it
    /// took longer than 5 s, and a cancel before the request left is another case.
    @Test func cancellationAbortsTheTransfer() async throws {
        let harness = try Harness(timeout: .seconds(120))
        harness.fake.inject([.delay(.seconds(60))], on: .balances)
        let task = Task { await commetError { try await harness.client.balances(customerID: "acme") } }
        try await poll("the read to reach the fake", patience: .seconds(50)) { !harness.fake.ledger.isEmpty }
        task.cancel()
        let error = try #require(await task.value)
        #expect(error.kind == .cancelled)
        #expect(harness.fake.ledger.count == 1)
    }

    /// The API key appears in no log line and no error text, through retries, timeouts and refusals.
    @Test func apiKeyNeverLeaks() async throws {
        let harness = try Harness(timeout: .milliseconds(300))
        harness.fake.inject([.status(503, code: "internal_error"), .status(500, code: "internal_error")], on: .setAll)
        harness.fake.inject([.delay(.seconds(1))], on: .balances)
        harness.fake.inject([.status(429, code: "rate_limited")], on: .balance)
        var errors: [CommetError] = []
        _ = try await harness.client.setAll(customerID: "acme", seats: ["editor": 1])
        _ = try await harness.client.balances(customerID: "acme")
        errors += [await commetError { try await harness.client.balance(customerID: "acme", featureCode: "editor") }]
            .compactMap { $0 }
        errors += [await commetError { try await harness.client.balances(customerID: "nobody") }].compactMap { $0 }
        #expect(errors.count == 2)
        #expect(harness.logLines.count >= 5)
        for line in harness.logLines + errors.map(\.description) {
            #expect(!line.contains(Harness.apiKey))
        }
    }
}
