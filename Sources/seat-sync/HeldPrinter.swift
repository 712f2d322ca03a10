import Foundation
import SeatSources
import SeatSync

/// Renders `seat-sync held`: a table for people, a JSON document for scripts.
struct HeldPrinter {
    let listing: ApprovalDesk.Listing
    let now: Date

    func text() -> String {
        let changes = listing.held.changes
        guard !changes.isEmpty else { return "nothing held\n" }
        var rows = [["customer", "feature", "from", "to", "held since"]]
        for change in changes {
            let age = DurationText.format(.seconds(Int64(max(0, now.timeIntervalSince(change.heldSince)))))
            rows.append([
                InputExcerpt.escapingControls(change.customer), InputExcerpt.escapingControls(change.feature),
                "\(change.from)", "\(change.to)",
                "\(change.heldSince.formatted(Date.ISO8601FormatStyle())) (\(age) ago)",
            ])
        }
        let widths = rows[0].indices.map { column in rows.map { $0[column].count }.max()! }
        var out = "held set \(listing.held.id): \(changes.count) change\(changes.count == 1 ? "" : "s")\n"
        for row in rows {
            let cells = row.enumerated().map { $1.padding(toLength: widths[$0], withPad: " ", startingAt: 0) }
            out += "  " + cells.joined(separator: "  ").trimmingCharacters(in: .whitespaces) + "\n"
        }
        for approval in listing.waiting {
            out += "approval \(approval.id) of set \(approval.setID) is waiting for the next pass\n"
        }
        out += "approve exactly these: seat-sync approve \(listing.held.id)\n"
        return out
    }

    func json() -> String {
        struct Document: Encodable {
            var format = "seat-sync-held"
            var version = 1
            var setID: String
            var changes: [HeldChange]
            var waitingApprovals: [String]

            enum CodingKeys: String, CodingKey {
                case format, version, changes
                case setID = "set_id"
                case waitingApprovals = "waiting_approvals"
            }
        }
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.dateEncodingStrategy = .iso8601
        let document = Document(
            setID: listing.held.id,
            changes: listing.held.changes,
            waitingApprovals: listing.waiting.map(\.id)
        )
        // Plain strings, numbers and dates: encoding cannot fail.
        return String(decoding: try! encoder.encode(document), as: UTF8.self) + "\n"
    }
}
