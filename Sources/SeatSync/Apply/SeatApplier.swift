import CommetSeats
import Logging

/// Sends one `setAll` per customer with changes, concurrently, and records what Commet answered.
///
/// The client owns the global request-rate limit (shared with the balance reads) and the retries; this type
/// bounds how many customers are in flight and keeps one customer's failure from touching the others.
struct SeatApplier: Sendable {
    /// The outcome of a customer not written because the pass was cancelled.
    static let cancelledOutcome = CustomerPlan.Outcome.failed(
        .init(stage: .write, message: "not sent: the pass was cancelled")
    )

    let client: CommetSeatsClient
    let concurrency: Int
    let logger: Logger

    /// - Parameters:
    ///   - client: the Commet client, with its rate limit and retry policy.
    ///   - concurrency: customers written at once (`commet.concurrency`).
    ///   - logger: receives one line per code written and one per failure.
    init(client: CommetSeatsClient, concurrency: Int, logger: Logger) {
        self.client = client
        self.concurrency = concurrency
        self.logger = logger
    }

    /// Writes every customer of `plan` that has changes.
    /// - Parameters:
    ///   - plan: the guarded plan.
    ///   - passID: the pass id the idempotency keys are derived from.
    /// - Returns: the plan with each written customer's outcome and the `newBalance` of every code written.
    func apply(_ plan: SeatPlan, passID: String) async -> SeatPlan {
        let customers = await plan.customers.concurrentMap(limit: concurrency) { customer in
            guard customer.hasWrites, !customer.isFailed else { return customer }
            return await write(customer, passID: passID)
        }
        return SeatPlan(customers: customers)
    }

    private func write(_ plan: CustomerPlan, passID: String) async -> CustomerPlan {
        var plan = plan
        // A cancelled pass (the daemon stopping) starts no customer: the writes already sent finish or are cut
        // off whole, and the rest wait for the next pass.
        guard !Task.isCancelled else {
            plan.outcome = Self.cancelledOutcome
            return plan
        }
        let seats = plan.writes
        let key = IdempotencyKey.derive(pass: passID, customer: plan.customer, observed: plan.observed, desired: seats)
        do {
            let response = try await client.setAll(customerID: plan.customer, seats: seats, idempotencyKey: key)
            var answered: [String: Int] = [:]
            for event in response.value {
                answered[event.featureCode] = event.newBalance
                if event.customerID != plan.customer { plan.commetID = event.customerID }
            }
            for index in plan.lines.indices where plan.lines[index].isWrite {
                plan.lines[index].result = answered[plan.lines[index].feature]
                log(plan.customer, plan.lines[index], requestID: response.requestID)
            }
            plan.outcome = .applied(requestID: response.requestID, idempotencyKey: key)
        } catch {
            logger.error(
                "seat write failed",
                metadata: [
                    "customer": "\(plan.customer)",
                    "features": "\(seats.keys.sorted().joined(separator: ","))",
                    "error": "\(error)",
                    "request_id": "\(error.requestID ?? "none")",
                    "next": "skipped until next pass",
                ]
            )
            plan.outcome = .failed(.init(stage: .write, message: "\(error)", requestID: error.requestID))
        }
        return plan
    }

    /// One line per code written. The client has checked the answer against the request, so `result` is the
    /// count written or, for a decrease Commet defers, the balance still in force.
    private func log(_ customer: String, _ line: PlanLine, requestID: String?) {
        var metadata: Logger.Metadata = [
            "customer": "\(customer)",
            "feature": "\(line.feature)",
            "from": .number(line.current ?? 0),
            "to": .number(line.result ?? line.desired),
            "request_id": "\(requestID ?? "none")",
        ]
        if line.result != line.desired { metadata["requested"] = .number(line.desired) }
        logger.info("seats written", metadata: metadata)
    }
}
