import Foundation

/// The success payloads of the seat routes, in the shapes of Commet API version 2026-08-27.
enum SeatPayload {
    static func event(_ change: SeatChange, customerID: String, at time: Date) -> JSONValue {
        let timestamp = JSONValue.string(iso8601(time))
        return [
            "object": "seat_event",
            "id": .string(RandomID.make(prefix: "sev_")),
            "customerId": .string(customerID),
            "featureCode": .string(change.featureCode),
            "previousBalance": .integer(change.previousBalance),
            "newBalance": .integer(change.newBalance),
            "ts": timestamp,
            "createdAt": timestamp,
            "livemode": false,
        ]
    }

    static func eventList(_ changes: [SeatChange], customerID: String, at time: Date) -> JSONValue {
        [
            "object": "list",
            "data": .array(changes.map { event($0, customerID: customerID, at: time) }),
            "hasMore": false,
        ]
    }

    static func balance(_ current: Int, at time: Date) -> JSONValue {
        ["object": "seat_balance", "current": .integer(current), "asOf": .string(iso8601(time)), "livemode": false]
    }

    static func balanceCollection(_ balances: [String: Int], at time: Date) -> JSONValue {
        let asOf = JSONValue.string(iso8601(time))
        return [
            "object": "seat_balance_collection",
            "balances": .object(balances.mapValues { ["current": .integer($0), "asOf": asOf] }),
            "livemode": false,
        ]
    }

    private static func iso8601(_ time: Date) -> String {
        time.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}
