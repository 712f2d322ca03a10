import Foundation
import SeatSources

/// Writes `bytes` as `name` in a fresh temporary directory and reads it with ``CSVSource``.
func readCSV(
    _ bytes: [UInt8],
    named name: String = "users.csv",
    options: CSVOptions,
    allowEmpty: Bool = false
) throws -> SourceReading {
    let dir = try TemporaryDirectory()
    let path = try dir.write(name, bytes: bytes)
    return try CSVSource(settings: SourceSettings(name: "hr", path: path, allowEmpty: allowEmpty), options: options)
        .read(now: Date())
}

/// The error reading `bytes` throws, as the one log line an operator sees, with the temporary path
/// replaced by `name` so that expectations can be written literally.
func csvErrorLine(_ bytes: [UInt8], named name: String = "users.csv", options: CSVOptions) -> String? {
    do {
        let dir = try TemporaryDirectory()
        let path = try dir.write(name, bytes: bytes)
        _ = try CSVSource(settings: SourceSettings(name: "hr", path: path), options: options).read(now: Date())
        return nil
    } catch {
        return String(describing: error).replacingOccurrences(of: NSTemporaryDirectory(), with: "")
            .replacingOccurrences(of: #"^/?seat-sync-test-[0-9A-F-]+/"#, with: "", options: .regularExpression)
    }
}

extension SourceReading {
    /// customer -> user id as first written -> feature codes in the order granted.
    var grantsByUser: [String: [String: [String]]] {
        customers.mapValues { facts in
            Dictionary(uniqueKeysWithValues: facts.users.values.map { ($0.id, $0.grants.map(\.feature)) })
        }
    }

    /// customer -> feature code -> count.
    var countsByFeature: [String: [String: Int]] {
        customers.mapValues { $0.counts.mapValues(\.count) }
    }
}

let userColumns = CSVOptions(columns: .users(customer: "customer", user: "user", role: "role"))
