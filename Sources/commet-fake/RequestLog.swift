import CommetFake
import Foundation

/// One logfmt line per answered request on stderr.
enum RequestLog {
    @Sendable static func write(_ entry: LedgerEntry) {
        var fields = [
            "method=\(entry.method)",
            "path=\(entry.path)",
            "status=\(entry.status)",
            "request_id=\(entry.requestID ?? "-")",
            "connection=\(entry.connection)",
        ]
        if let customer = entry.customerID { fields.append("customer=\(quoted(customer))") }
        if let key = entry.idempotencyKey { fields.append("idempotency_key=\(quoted(key))") }
        if entry.applied { fields.append("applied=true") }
        if entry.replayed { fields.append("replayed=true") }
        if entry.status == 0 { fields.append("dropped=true") }
        FileHandle.standardError.write(Data((fields.joined(separator: " ") + "\n").utf8))
    }

    private static func quoted(_ value: String) -> String {
        value.contains(where: { $0 == " " || $0 == "\"" || $0 == "=" })
            ? "\"" + value.replacingOccurrences(of: "\"", with: "\\\"") + "\""
            : value
    }
}
