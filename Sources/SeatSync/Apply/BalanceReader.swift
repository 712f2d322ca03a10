import CommetSeats
import Logging
import Synchronization

/// Reads `getAllBalances` for many customers, concurrently, one request each.
struct BalanceReader: Sendable {
    let client: CommetSeatsClient
    let concurrency: Int
    let logger: Logger

    /// What the reads gave.
    struct Result: Sendable {
        var balances: [String: [String: Int]] = [:]
        var failed: [String: CustomerPlan.Failure] = [:]
        /// Commet refused the API key (401 or 403): the first such error; no read started after it.
        var keyRefused: CommetError?
    }

    private enum Reading: Sendable {
        case balances([String: Int])
        case failed(CustomerPlan.Failure)
        case keyRefused(CommetError)
    }

    /// Reads every customer's balances; a failed read is logged and kept, the others go on, except after Commet
    /// refuses the key, which every other read would meet too.
    /// - Parameter customers: the customer ids to read.
    func read(_ customers: [String]) async -> Result {
        let refused = Mutex<Bool>(false)
        let readings = await customers.concurrentMap(limit: concurrency) { customer in
            (customer, await read(customer, refused: refused))
        }
        var result = Result()
        for (customer, reading) in readings {
            switch reading {
            case .balances(let balances): result.balances[customer] = balances
            case .failed(let failure): result.failed[customer] = failure
            case .keyRefused(let error): result.keyRefused = result.keyRefused ?? error
            }
        }
        return result
    }

    private func read(_ customer: String, refused: borrowing Mutex<Bool>) async -> Reading {
        guard !Task.isCancelled else {
            return .failed(.init(stage: .read, message: "not read: the pass was cancelled"))
        }
        guard !refused.withLock({ $0 }) else {
            return .failed(.init(stage: .read, message: "not read: Commet refused the API key"))
        }
        do {
            let response = try await client.balances(customerID: customer)
            return .balances(response.value.balances.mapValues(\.current))
        } catch {
            if error.status == 401 || error.status == 403 {
                refused.withLock { $0 = true }
                return .keyRefused(error)
            }
            var metadata: Logger.Metadata = [
                "customer": "\(customer)",
                "error": "\(error)",
                "request_id": "\(error.requestID ?? "none")",
                "next": "skipped until next pass",
            ]
            if error.code == "customer_not_found" {
                let hint =
                    "Commet has no customer \(customer): check the customers: mapping of the sources that name it "
                    + "(or policy.zero_customers)"
                metadata["hint"] = "\(hint)"
            }
            logger.error("balance read failed", metadata: metadata)
            return .failed(.init(stage: .read, message: "\(error)", requestID: error.requestID))
        }
    }
}
