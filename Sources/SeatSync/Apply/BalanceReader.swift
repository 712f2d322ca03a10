import CommetSeats
import Logging

/// Reads `getAllBalances` for many customers, concurrently, one request each.
struct BalanceReader: Sendable {
    let client: CommetSeatsClient
    let concurrency: Int
    let logger: Logger

    init(client: CommetSeatsClient, concurrency: Int, logger: Logger) {
        self.client = client
        self.concurrency = concurrency
        self.logger = logger
    }

    /// What a read gave for one customer.
    enum Reading: Sendable, Hashable {
        case balances([String: Int])
        case failed(CustomerPlan.Failure)
    }

    /// Reads every customer's balances; a failed read is logged and kept, the others go on.
    /// - Parameter customers: the customer ids to read.
    /// - Returns: a reading per customer id.
    func read(_ customers: [String]) async -> [String: Reading] {
        let readings = await customers.concurrentMap(limit: concurrency) { customer in
            (customer, await read(customer))
        }
        return Dictionary(readings, uniquingKeysWith: { first, _ in first })
    }

    private func read(_ customer: String) async -> Reading {
        guard !Task.isCancelled else {
            return .failed(.init(stage: "read", message: "not read: the pass was cancelled"))
        }
        do {
            let response = try await client.balances(customerID: customer)
            return .balances(response.value.balances.mapValues(\.current))
        } catch {
            logger.error(
                "balance read failed",
                metadata: [
                    "customer": "\(customer)",
                    "error": "\(error)",
                    "request_id": "\(error.requestID ?? "none")",
                    "next": "skipped until next pass",
                ]
            )
            return .failed(.init(stage: "read", message: "\(error)", requestID: error.requestID))
        }
    }
}
