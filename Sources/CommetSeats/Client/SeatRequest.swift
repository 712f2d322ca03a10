import TextRules

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// One logical seat operation: what to send, for whom, and under which idempotency key.
///
/// A write's key is fixed here, once, so every retry of it sends the same key and Commet applies it at most once.
struct SeatRequest: Sendable {
    var operation: CommetOperation
    var method: HTTPRequest.Method
    var path: String
    var query: [(name: String, value: String)] = []
    var body: [UInt8]?
    var customerID: String
    var idempotencyKey: String?

    /// add, remove or set: `{customerId, featureCode, count}`.
    static func change(
        _ operation: CommetOperation,
        method: HTTPRequest.Method,
        path: String,
        customerID: String,
        featureCode: String,
        count: Int,
        idempotencyKey: String?
    ) throws(CommetError) -> SeatRequest {
        let refuse = Refusal(operation: operation, customerID: customerID)
        try refuse.ifEmpty(customerID, "customerID")
        try refuse.ifEmpty(featureCode, "featureCode")
        guard count >= 0 else { throw refuse("count must not be negative, got \(count)") }
        let body = SeatChange(customerId: customerID, featureCode: featureCode, count: count)
        return SeatRequest(
            operation: operation,
            method: method,
            path: path,
            body: try encode(body, refuse),
            customerID: customerID,
            idempotencyKey: try key(idempotencyKey, refuse)
        )
    }

    /// setAll: `{customerId, seats: {code: count}}`.
    static func setAll(
        customerID: String,
        seats: [String: Int],
        idempotencyKey: String?
    ) throws(CommetError) -> SeatRequest {
        let refuse = Refusal(operation: .setAll, customerID: customerID)
        try refuse.ifEmpty(customerID, "customerID")
        guard !seats.isEmpty else { throw refuse("seats must name at least one feature code") }
        for (code, count) in seats.sorted(by: { $0.key < $1.key }) {
            try refuse.ifEmpty(code, "a feature code in seats")
            guard count >= 0 else { throw refuse("count for \(code) must not be negative, got \(count)") }
        }
        return SeatRequest(
            operation: .setAll,
            method: .put,
            path: "/seats/bulk",
            body: try encode(SeatMap(customerId: customerID, seats: seats), refuse),
            customerID: customerID,
            idempotencyKey: try key(idempotencyKey, refuse)
        )
    }

    /// getBalance: `GET /seats/balance?customerId=&featureCode=`.
    static func balance(customerID: String, featureCode: String) throws(CommetError) -> SeatRequest {
        let refuse = Refusal(operation: .balance, customerID: customerID)
        try refuse.ifEmpty(customerID, "customerID")
        try refuse.ifEmpty(featureCode, "featureCode")
        return SeatRequest(
            operation: .balance,
            method: .get,
            path: "/seats/balance",
            query: [("customerId", customerID), ("featureCode", featureCode)],
            customerID: customerID
        )
    }

    /// getAllBalances: `GET /seats/balances?customerId=`.
    static func balances(customerID: String) throws(CommetError) -> SeatRequest {
        let refuse = Refusal(operation: .balances, customerID: customerID)
        try refuse.ifEmpty(customerID, "customerID")
        return SeatRequest(
            operation: .balances,
            method: .get,
            path: "/seats/balances",
            query: [("customerId", customerID)],
            customerID: customerID
        )
    }

    /// A caller's key as given, or a new random one; either way a valid header value.
    private static func key(_ given: String?, _ refuse: Refusal) throws(CommetError) -> String {
        guard let given else { return UUID().uuidString.lowercased() }
        guard (1...255).contains(given.utf8.count), given.utf8.allSatisfy({ (0x21...0x7E).contains($0) }) else {
            throw refuse("idempotencyKey must be 1 to 255 visible ASCII characters")
        }
        return given
    }

    private static func encode(_ body: some Encodable, _ refuse: Refusal) throws(CommetError) -> [UInt8] {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        do {
            return Array(try encoder.encode(body))
        } catch {
            throw refuse("body not encodable: \(error)")
        }
    }
}

private struct SeatChange: Encodable {
    var customerId: String
    var featureCode: String
    var count: Int
}

private struct SeatMap: Encodable {
    var customerId: String
    var seats: [String: Int]
}

/// Builds the `.invalidArgument` errors of one operation.
private struct Refusal {
    var operation: CommetOperation
    var customerID: String

    func callAsFunction(_ message: String) -> CommetError {
        CommetError(
            kind: .invalidArgument,
            message: message,
            operation: operation,
            customerID: customerID.isEmpty ? nil : customerID
        )
    }

    func ifEmpty(_ value: String, _ name: String) throws(CommetError) {
        if value.trimmingASCIIWhitespace().isEmpty {
            throw self("\(name) must not be empty")
        }
    }
}
