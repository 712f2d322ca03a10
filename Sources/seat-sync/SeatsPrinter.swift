import CommetSeats
import Foundation
import SeatSync

/// Prints what a seats operation returned, with Commet's request id so support can find the request.
///
/// Everything printed is Commet's text (ids, codes, the request id) and passes through the sink's redaction, the
/// same that `--once` prints its plan through, so a server that echoes the API key back does not get it printed.
struct SeatsPrinter {
    var format: OutputFormat
    /// The log sink that knows the API key.
    var sink: LogSink

    /// One line per changed feature: `acme editor: 3 -> 5`.
    func events(_ events: [SeatEvent], requestID: String?) {
        let sorted = events.sorted { $0.featureCode < $1.featureCode }
        switch format {
        case .text:
            for event in sorted {
                let before = event.previousBalance.map(String.init) ?? "?"
                emit("\(event.customerID) \(event.featureCode): \(before) -> \(event.newBalance)")
            }
            emit("request_id=\(requestID ?? "-")")
        case .json:
            let document = EventsDocument(
                requestID: requestID,
                events: sorted.map {
                    .init(
                        id: $0.id,
                        customerID: $0.customerID,
                        featureCode: $0.featureCode,
                        previousBalance: $0.previousBalance,
                        newBalance: $0.newBalance
                    )
                }
            )
            printJSON(document)
        }
    }

    /// A table of feature codes and current balances.
    func balances(customer: String, _ balances: [String: SeatBalance], requestID: String?) {
        let features = balances.keys.sorted()
        switch format {
        case .text:
            let width = max("feature".count, features.map(\.count).max() ?? 0)
            emit("customer \(customer)")
            emit("  " + "feature".padding(toLength: width, withPad: " ", startingAt: 0) + "  current")
            for feature in features {
                let current = String(balances[feature]!.current)
                emit(
                    "  " + feature.padding(toLength: width, withPad: " ", startingAt: 0) + "  "
                        + String(repeating: " ", count: max(0, 7 - current.count)) + current
                )
            }
            emit("request_id=\(requestID ?? "-")")
        case .json:
            printJSON(
                BalancesDocument(
                    requestID: requestID,
                    customer: customer,
                    balances: balances.mapValues { .init(current: $0.current, asOf: $0.asOf) }
                )
            )
        }
    }

    private func printJSON(_ value: some Encodable) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        emit(String(decoding: data, as: UTF8.self))
    }

    private func emit(_ line: String) {
        print(sink.redacting(line))
    }
}

private struct EventsDocument: Encodable {
    struct Event: Encodable {
        var id: String
        var customerID: String
        var featureCode: String
        var previousBalance: Int?
        var newBalance: Int

        enum CodingKeys: String, CodingKey {
            case id
            case customerID = "customer_id"
            case featureCode = "feature_code"
            case previousBalance = "previous_balance"
            case newBalance = "new_balance"
        }
    }
    var requestID: String?
    var events: [Event]

    enum CodingKeys: String, CodingKey {
        case events
        case requestID = "request_id"
    }
}

private struct BalancesDocument: Encodable {
    struct Balance: Encodable {
        var current: Int
        var asOf: String?

        enum CodingKeys: String, CodingKey {
            case current
            case asOf = "as_of"
        }
    }
    var requestID: String?
    var customer: String
    var balances: [String: Balance]

    enum CodingKeys: String, CodingKey {
        case customer, balances
        case requestID = "request_id"
    }
}
