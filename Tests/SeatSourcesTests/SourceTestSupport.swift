import Foundation
import SeatSources
import TestSupport
import Testing

/// The bytes of a file in `Fixtures/`.
func csvFixture(_ name: String) throws -> [UInt8] {
    let path = try #require(Bundle.module.path(forResource: name, ofType: nil, inDirectory: "Fixtures"))
    return Array(try Data(contentsOf: URL(fileURLWithPath: path)))
}

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

/// Reads the CSV source `settings` names twice: without `allow_empty` it must be refused as empty, naming `file`;
/// with it, it must read as no customers.
func expectEmptyUnlessAllowed(
    _ settings: SourceSettings,
    options: CSVOptions,
    file: String,
    sourceLocation: SourceLocation = #_sourceLocation
) throws {
    #expect(throws: SourceFileError.empty(file: file), sourceLocation: sourceLocation) {
        try CSVSource(settings: settings, options: options).read(now: Date())
    }
    var allowing = settings
    allowing.allowEmpty = true
    let reading = try CSVSource(settings: allowing, options: options).read(now: Date())
    #expect(reading.customers.isEmpty, sourceLocation: sourceLocation)
}

/// Writes `text` as `name` in a fresh temporary directory and reads it with ``SnapshotSource``.
func readSnapshot(
    _ text: String,
    named name: String = "seats.json",
    roles: [String: String]? = nil,
    lastAppliedSequence: Int? = nil,
    allowEmpty: Bool = false
) throws -> SourceReading {
    let dir = try TemporaryDirectory()
    let path = try dir.write(name, text)
    let settings = SourceSettings(name: "hook", path: path, allowEmpty: allowEmpty)
    return try SnapshotSource(
        settings: settings,
        options: SnapshotOptions(roles: roles),
        lastAppliedSequence: lastAppliedSequence
    ).read(now: Date())
}

/// The error `read` throws for `bytes` written as `name`, as the one log line an operator sees, with the
/// temporary directory removed so that expectations can be written literally; `nil` when nothing is thrown.
func errorLine(_ bytes: [UInt8], named name: String, _ read: (String) throws -> SourceReading) -> String? {
    do {
        let dir = try TemporaryDirectory()
        let path = try dir.write(name, bytes: bytes)
        _ = try read(path)
        return nil
    } catch {
        return String(describing: error).replacingOccurrences(of: NSTemporaryDirectory(), with: "")
            .replacingOccurrences(of: #"^/?seat-sync-test-[0-9A-F-]+/"#, with: "", options: .regularExpression)
    }
}

/// The error reading `bytes` as CSV throws, as ``errorLine(_:named:_:)`` gives it.
func csvErrorLine(_ bytes: [UInt8], named name: String = "users.csv", options: CSVOptions) -> String? {
    errorLine(bytes, named: name) { path in
        try CSVSource(settings: SourceSettings(name: "hr", path: path), options: options).read(now: Date())
    }
}

/// The error reading `text` as a seat snapshot throws, as ``errorLine(_:named:_:)`` gives it.
func snapshotErrorLine(_ text: String, lastAppliedSequence: Int? = nil) -> String? {
    errorLine(Array(text.utf8), named: "seats.json") { path in
        try SnapshotSource(
            settings: SourceSettings(name: "hook", path: path),
            options: SnapshotOptions(),
            lastAppliedSequence: lastAppliedSequence
        ).read(now: Date())
    }
}

extension SourceReading {
    /// customer -> user id as first written -> feature codes in the order granted.
    var grantsByUser: [String: [String: [String]]] {
        customers.mapValues { facts in
            Dictionary(uniqueKeysWithValues: facts.users.map { ($0.id, $0.grants.map(\.feature)) })
        }
    }

    /// customer -> feature code -> count.
    var countsByFeature: [String: [String: Int]] {
        customers.mapValues { $0.counts.mapValues(\.count) }
    }
}

let userColumns = CSVOptions(columns: .users(customer: "customer", user: "user", role: "role"))
