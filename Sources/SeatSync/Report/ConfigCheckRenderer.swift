import Foundation
import SeatSources

/// Where the API key would come from, as `check-config` reports it without using it. An unusable key is not a
/// status: it fails the check.
package enum APIKeyStatus: Sendable {
    case found(origin: String, warnings: [String])
    /// The operator asked for the config and sources alone (`--no-api-key`).
    case notChecked
}

/// Renders a ``ConfigCheck`` as compact tables for people or as JSON for scripts (`docs/check-config-json.md`).
package struct ConfigCheckRenderer: Sendable {
    package var check: ConfigCheck
    package var apiKey: APIKeyStatus
    /// Feature codes in this order first (the config's `role_precedence`), the rest alphabetically.
    package var featureOrder: [String]

    package init(check: ConfigCheck, apiKey: APIKeyStatus, featureOrder: [String]) {
        self.check = check
        self.apiKey = apiKey
        self.featureOrder = featureOrder
    }

    /// One block per source (customers, users and seats per feature code), then the merged desired seats.
    ///
    /// Every line is shown with its control characters escaped: customer ids, feature codes, roles, paths and notes
    /// come from files, and no value may start a line of its own or move the terminal's cursor.
    package func text() -> String {
        var lines = ["config \(check.file): valid, \(check.sources.count) source\(check.sources.count == 1 ? "" : "s")"]
        switch apiKey {
        case .found(let origin, let warnings):
            lines.append("api key: \(origin)")
            lines += warnings.map { "  warning: \($0)" }
        case .notChecked:
            lines.append("api key: not checked (--no-api-key)")
        }
        for result in check.sources {
            let reading = result.reading
            var title = "source \(result.definition.settings.name) (\(result.definition.type), \(reading.file)"
            if let sequence = reading.sequence { title += ", sequence \(sequence)" }
            title += "): \(count(reading.customers.count, "customer")), \(count(reading.userCount, "user"))"
            lines += ["", title]
            lines += table(result.seats, users: reading)
            if !reading.unmappedRoles.isEmpty {
                let roles = reading.unmappedRoles.sorted { $0.key < $1.key }.map { "\($0.key) (\($0.value))" }
                lines.append("  unmapped roles, ignored: \(roles.joined(separator: ", "))")
            }
            lines += reading.notes.map { "  note: \(SourceNoteText.line($0))" }
        }
        let total = check.desired.customers.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } }
        lines += [
            "",
            "desired seats, all sources merged: \(count(check.desired.customers.count, "customer")), "
                + count(total, "seat"),
        ]
        lines += table(check.desired, users: nil)
        return lines.map(InputExcerpt.escapingControls).joined(separator: "\n") + "\n"
    }

    /// The same facts as ``text()``, as one pretty-printed JSON document with sorted keys.
    package func json() -> String {
        let document = CheckDocument(
            config: check.file,
            apiKey: {
                switch apiKey {
                case .found(let origin, let warnings):
                    return .init(checked: true, origin: origin, warnings: warnings)
                case .notChecked:
                    return .init(checked: false, origin: nil, warnings: [])
                }
            }(),
            sources: check.sources.map { result in
                let reading = result.reading
                return .init(
                    name: result.definition.settings.name,
                    type: result.definition.type,
                    file: reading.file,
                    sequence: reading.sequence,
                    customers: reading.customers.count,
                    users: reading.userCount,
                    seats: result.seats.customers.mapValues { $0.mapValues(\.count) },
                    usersByCustomer: reading.customers.mapValues { $0.counts.isEmpty ? $0.users.count : nil },
                    unmappedRoles: reading.unmappedRoles,
                    notes: reading.notes.map(CheckDocument.Note.init)
                )
            },
            desired: .init(
                customers: check.desired.customers.count,
                seats: check.desired.customers.values.reduce(0) { $0 + $1.values.reduce(0) { $0 + $1.count } },
                managedFeatures: ordered(check.desired.managedFeatures),
                byCustomer: check.desired.customers.mapValues { $0.mapValues { .init(count: $0.count, why: $0.why) } }
            )
        )
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        let data = (try? encoder.encode(document)) ?? Data("{}".utf8)
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private func ordered(_ features: Set<String>) -> [String] {
        featureOrder.filter(features.contains) + features.subtracting(featureOrder).sorted()
    }

    /// `customer  users  admin  editor ...`, numbers right-aligned; users only for a single source, `-` for
    /// pre-counted customers, whose users the source does not list.
    ///
    /// Each cell is made and measured once, and each line written as bytes into one buffer: a pass may name
    /// thousands of customers, and cells padded and joined one string at a time made printing them a tenth of
    /// check-config on the many-groups benchmark.
    private func table(_ seats: DesiredSeats, users: SourceReading?) -> [String] {
        let features = ordered(seats.managedFeatures)
        var header = ["customer"]
        if users != nil { header.append("users") }
        // Escaped before the widths are measured, so that the columns stay aligned.
        header += features.map(InputExcerpt.escapingControls)
        var cells = header
        cells.reserveCapacity(header.count * (seats.customers.count + 1))
        let listed = users?.listedUsers
        // Sorted with their counts, so that no row looks its customer up again.
        for (customer, counts) in seats.customers.sorted(by: { $0.key < $1.key }) {
            cells.append(InputExcerpt.escapingControls(customer))
            if let listed { cells.append(listed[customer] ?? "0") }
            for feature in features { cells.append(String(counts[feature]?.count ?? 0)) }
        }
        guard cells.count > header.count else { return ["  (no customers)"] }
        let lengths = cells.map(\.count)
        var widths = [Int](repeating: 0, count: header.count)
        for (index, length) in lengths.enumerated() {
            widths[index % header.count] = max(widths[index % header.count], length)
        }
        let lineLength = 2 * header.count + widths.reduce(0, +)
        let space = UInt8(ascii: " ")
        var line: [UInt8] = []
        line.reserveCapacity(lineLength)
        return stride(from: 0, to: cells.count, by: header.count).map { start in
            line.removeAll(keepingCapacity: true)
            for column in 0..<header.count {
                let padding = repeatElement(space, count: widths[column] - lengths[start + column])
                line += [space, space]
                if column > 0 { line += padding }
                line += cells[start + column].utf8
                if column == 0 { line += padding }
            }
            return String(decoding: line, as: UTF8.self)
        }
    }

    private func count(_ number: Int, _ noun: String) -> String { "\(number) \(noun)\(number == 1 ? "" : "s")" }
}

/// The JSON shape of `check-config --output json`.
private struct CheckDocument: Encodable {
    /// A ``SourceNote`` with its structure, and the line `check-config` and the pass log print for it.
    struct Note: Encodable {
        struct Item: Encodable {
            var value: String
            var lines: [Int]
            var alternatives: [String]
        }
        var kind: String
        var file: String
        var line: Int?
        var attribute: String?
        var total: Int
        var items: [Item]
        var text: String

        init(_ note: SourceNote) {
            kind = note.kind.rawValue
            file = note.file
            line = note.line
            attribute = note.attribute
            total = note.total
            items = note.items.map { Item(value: $0.value, lines: $0.lines, alternatives: $0.alternatives) }
            text = SourceNoteText.line(note)
        }
    }
    struct Key: Encodable {
        var checked: Bool
        var origin: String?
        var warnings: [String]
    }
    struct Source: Encodable {
        var name: String
        var type: String
        var file: String
        var sequence: Int?
        var customers: Int
        var users: Int
        var seats: [String: [String: Int]]
        var usersByCustomer: [String: Int?]
        var unmappedRoles: [String: Int]
        var notes: [Note]

        enum CodingKeys: String, CodingKey {
            case name, type, file, sequence, customers, users, seats, notes
            case usersByCustomer = "users_by_customer"
            case unmappedRoles = "unmapped_roles"
        }
    }
    struct Desired: Encodable {
        struct Count: Encodable {
            var count: Int
            var why: String
        }
        var customers: Int
        var seats: Int
        var managedFeatures: [String]
        var byCustomer: [String: [String: Count]]

        enum CodingKeys: String, CodingKey {
            case customers, seats
            case managedFeatures = "managed_features"
            case byCustomer = "by_customer"
        }
    }
    var config: String
    var apiKey: Key
    var sources: [Source]
    var desired: Desired

    enum CodingKeys: String, CodingKey {
        case config, sources, desired
        case apiKey = "api_key"
    }
}
