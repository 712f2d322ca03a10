import Foundation
import SeatSources

/// Renders a pass for people (a table per customer, then totals) or for programs (JSON, `docs/plan-json.md`).
package enum PlanRenderer {
    /// The plan as text: a table for every customer that needs attention, the guard, then one totals line.
    ///
    /// Customers in sync are only counted: with thousands of customers their tables would bury the changes.
    /// Text from sources and from Commet (customer ids, feature codes, reasons, messages) is shown with its control
    /// characters escaped, so that no value can start a line of its own or move the terminal's cursor.
    /// - Parameter report: the pass to render.
    /// - Returns: the text, ending with a newline.
    package static func text(_ report: PassReport) -> String {
        if let abortReason = report.abortReason {
            return "pass aborted before any Commet call: \(shown(abortReason))\n"
        }
        var out = ""
        for customer in report.plan.customers where needsAttention(customer) {
            out += "\(shown(customer.customer)): \(shown(headline(customer)))\n"
            if !customer.lines.isEmpty { out += table(customer) }
            out += "\n"
        }
        if let verdict = report.verdict, verdict.held || !verdict.violations.isEmpty {
            out += shown(guardLine(verdict, report: report)) + "\n"
        }
        if let stateError = report.stateError { out += "state not saved: \(shown(stateError))\n" }
        out += totals(report) + "\n"
        return out
    }

    /// The plan as one JSON document (schema `seat-sync-plan` version 1, `docs/plan-json.md`).
    /// - Parameter report: the pass to render.
    /// - Returns: pretty-printed JSON with sorted keys, ending with a newline.
    package static func json(_ report: PassReport) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        // Encoding plain structs of strings and numbers cannot fail.
        let data = try! encoder.encode(PlanDocument(report))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    private static func guardLine(_ verdict: GuardVerdict, report: PassReport) -> String {
        guard verdict.held else { return "guard: over the limits, approved: \(verdict.summary)" }
        let held = "\(counted(verdict.heldSeats, "seat")) of changes for \(counted(verdict.heldCustomers, "customer"))"
        let why = verdict.violations.isEmpty ? "held since an earlier pass" : verdict.summary
        guard !report.dryRun, let id = report.heldSetID else {
            return "guard: held \(held): \(why); a dry run records nothing: a pass that writes holds these"
        }
        return "guard: held \(held): \(why); review with seat-sync held, then apply exactly that set with "
            + "seat-sync approve \(id) or seat-sync --once --allow-decrease=\(id)"
    }

    private static func needsAttention(_ customer: CustomerPlan) -> Bool {
        customer.isFailed || customer.lines.contains { $0.status != .inSync && $0.status != .kept }
    }

    private static func headline(_ customer: CustomerPlan) -> String {
        let codes = customer.writes.count
        let phrase: String
        switch customer.outcome {
        case .planned:
            phrase = "would write \(counted(codes, "code"))"
        case .applied(let requestID, _):
            phrase = "wrote \(counted(codes, "code"))" + (requestID.map { " (request \($0))" } ?? "")
        case .failed(let failure):
            let stage = failure.stage == .read ? "reading balances" : "writing"
            return "FAILED \(stage): \(failure.message); skipped until next pass"
        case .noWrite:
            phrase = "no write"
        }
        var notes: [String] = []
        if customer.hasHeld { notes.append("changes held by the guard") }
        if customer.hasPending { notes.append("changes pending in Commet") }
        if customer.lines.contains(where: { $0.status == .notOnPlan }) { notes.append("codes not on the plan") }
        return ([phrase] + notes).joined(separator: "; ")
    }

    private static func table(_ customer: CustomerPlan) -> String {
        let header = ["feature", "current", "desired", "delta", "reason"]
        let rows = customer.lines.map { line in
            [
                shown(line.feature),
                line.current.map(String.init) ?? "-",
                String(line.desired),
                line.current == nil ? "-" : signed(line.delta),
                shown(reason(line)),
            ]
        }
        let widths = (0..<4).map { column in ([header] + rows).map { $0[column].count }.max() ?? 0 }
        var out = ""
        for row in [header] + rows {
            var cells = [row[0].padding(toLength: widths[0], withPad: " ", startingAt: 0)]
            for column in 1..<4 {
                cells.append(String(repeating: " ", count: widths[column] - row[column].count) + row[column])
            }
            cells.append(row[4])
            out += "  " + cells.joined(separator: "  ") + "\n"
        }
        return out
    }

    /// The line's reason, with Commet's answer when it differs from what was asked.
    private static func reason(_ line: PlanLine) -> String {
        let base = line.status == .inSync ? "in sync; \(line.reason)" : line.reason
        guard let result = line.result, result != line.desired else { return base }
        return base + "; Commet answered newBalance \(result)"
    }

    private static func shown(_ text: String) -> String { InputExcerpt.escapingControls(text) }

    private static func counted(_ count: Int, _ noun: String) -> String { "\(count) \(noun)\(count == 1 ? "" : "s")" }

    private static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : String(value) }

    /// The pass's one-line totals, also the daemon's systemd status.
    static func totals(_ report: PassReport) -> String {
        let changed = report.dryRun ? "to change" : "changed"
        var line =
            "\(counted(report.customersSeen, "customer")): \(report.inSync) in sync, \(report.changed) \(changed), "
            + "\(report.failed) failed, \(report.held) held, \(report.pending) pending; "
            + "seats +\(report.seatsAdded) -\(report.seatsRemoved)"
        if report.dryRun { line += " (dry run: nothing written)" }
        let reads = report.reads
        if !reads.full {
            let age = reads.oldestConfirmed.map { DurationText.format(.seconds(Int64($0))) } ?? "0s"
            line +=
                "\nread \(reads.changed) changed, \(reads.due) due, \(reads.slice) in their turn; "
                + "\(reads.notRead) not read (confirmed \(age) ago at most)"
        }
        return line
    }
}
