import Foundation
import Logging
import SeatSources

/// The lines a pass logs about its decisions: the guard's, the codes off a plan, the resent decreases, the summary.
extension Reconciler {
    func logGuard(_ outcome: SeatGuard.Outcome, options: PassOptions, logger: Logger) {
        let verdict = outcome.verdict
        let setID = HeldSet(outcome.holds).id
        if !verdict.approved.isEmpty {
            logger.warning(
                "approved changes applied over the guard's limits",
                metadata: ["changes": "\(Self.list(verdict.approved))"]
            )
        }
        if !verdict.newlyHeld.isEmpty {
            logger.error(
                "changes held by the guard",
                metadata: [
                    "held_seats": "\(verdict.newlyHeld.reduce(0) { $0 + abs($1.to - $1.from) })",
                    "held_customers": "\(Set(verdict.newlyHeld.map(\.customer)).count)",
                    "changes": "\(Self.list(verdict.newlyHeld))",
                    "limits": "\(verdict.summary)",
                    "held_set": "\(setID)",
                    "next": "\(options.approvalHint(setID: setID))",
                ]
            )
        } else if !verdict.violations.isEmpty {
            logger.warning(
                "guard limits exceeded; changes approved by --allow-decrease or --allow-increase",
                metadata: ["limits": "\(verdict.summary)"]
            )
        }
        if !verdict.stillHeld.isEmpty {
            let oldest = verdict.stillHeld.map(\.heldSince).min()!
            logger.warning(
                "changes still held",
                metadata: [
                    "changes": "\(Self.list(verdict.stillHeld))",
                    "held_since": "\(oldest.formatted(Date.ISO8601FormatStyle()))",
                    "held_set": "\(setID)",
                    "next": "\(options.approvalHint(setID: setID))",
                ]
            )
        }
    }

    /// One warning per customer and code the sources want but the customer's plan does not have: those users
    /// hold no billed seat until the plan changes.
    func logOffPlan(_ plan: SeatPlan, logger: Logger) {
        for customer in plan.customers {
            for line in customer.lines where line.status == .notOnPlan {
                logger.warning(
                    "feature code not on the customer's plan; its users are not billed",
                    metadata: [
                        "customer": "\(customer.customer)",
                        "feature": "\(line.feature)",
                        "unbilled": "\(line.desired)",
                        "next": "add the code to the customer's plan in Commet, or fix the mapping that yields it",
                    ]
                )
            }
        }
    }

    /// One warning per pending decrease sent once more after `policy.pending_timeout`.
    func logResent(_ plan: SeatPlan, at time: Date, logger: Logger) {
        for customer in plan.customers {
            for line in customer.lines where line.status == .resent {
                let age = Duration.seconds(Int64(max(0, time.timeIntervalSince(line.since ?? time))))
                logger.warning(
                    "pending decrease sent once more",
                    metadata: [
                        "customer": "\(customer.customer)",
                        "feature": "\(line.feature)",
                        "from": "\(line.current ?? 0)",
                        "to": "\(line.desired)",
                        "pending_for": "\(DurationText.format(age))",
                        "pending_timeout": "\(DurationText.format(config.policy.pendingTimeout))",
                        "next":
                            "Commet still shows the old balance; if this repeats, check the customer's plan in Commet",
                    ]
                )
            }
        }
    }

    /// The first few changes as `customer/feature from->to`, the rest counted.
    static func list(_ changes: [HeldChange]) -> String {
        let shown = changes.prefix(5).map { "\($0.customer)/\($0.feature) \($0.from)->\($0.to)" }
        let more = changes.count > 5 ? " and \(changes.count - 5) more" : ""
        return shown.joined(separator: ", ") + more
    }

    func logSummary(_ report: PassReport, logger: Logger) {
        let seconds = report.duration.timeInterval
        let metadata: Logger.Metadata = [
            "customers": .number(report.customersSeen),
            "in_sync": .number(report.inSync),
            "changed": .number(report.changed),
            "failed": .number(report.failed),
            "held": .number(report.held),
            "oldest_hold_seconds": .number(report.oldestHoldAge(at: now()).map { Int($0) } ?? 0),
            "pending": .number(report.pending),
            "oldest_pending_seconds": .number(report.oldestPendingAge(at: now()).map { Int($0) } ?? 0),
            "warnings": .number(report.warnings),
            "seats_added": .number(report.seatsAdded),
            "seats_removed": .number(report.seatsRemoved),
            "duration": "\(String(format: "%.3f", seconds))s",
            "dry_run": .flag(report.dryRun),
            "exit_code": .number(Int(report.exitCode.rawValue)),
            "full": .flag(report.reads.full),
            "read_changed": .number(report.reads.changed),
            "read_due": .number(report.reads.due),
            "read_slice": .number(report.reads.slice),
            "not_read": .number(report.reads.notRead),
            "oldest_confirmed_seconds": .number(report.reads.oldestConfirmed.map { Int($0) } ?? 0),
        ]
        switch report.exitCode {
        case .failure: logger.error("pass finished", metadata: metadata)
        case .decreasesHeld: logger.warning("pass finished", metadata: metadata)
        case .success, .changesPending: logger.info("pass finished", metadata: metadata)
        }
    }
}
