import Foundation
import SeatSources

/// The JSON form of a pass, as `docs/plan-json.md` documents it. Optional fields are left out when empty.
struct PlanDocument: Encodable {
    var format = "seat-sync-plan"
    var version = 1
    var passID: String
    var dryRun: Bool
    var allowDecrease: Bool
    var exitCode: Int32
    var aborted: String?
    var stateError: String?
    var summary: Summary
    var guardVerdict: Guard?
    var reads: Reads
    var customers: [Customer]

    struct Reads: Encodable {
        var full: Bool
        var changed, due, slice, notRead: Int
        var oldestConfirmedSeconds: Int?

        enum CodingKeys: String, CodingKey {
            case full, changed, due, slice
            case notRead = "not_read"
            case oldestConfirmedSeconds = "oldest_confirmed_seconds"
        }
    }

    struct Summary: Encodable {
        var customers, inSync, changed, failed, held, pending, warnings, seatsAdded, seatsRemoved: Int
        var durationSeconds: Double

        enum CodingKeys: String, CodingKey {
            case customers, changed, failed, held, pending, warnings
            case inSync = "in_sync"
            case seatsAdded = "seats_added"
            case seatsRemoved = "seats_removed"
            case durationSeconds = "duration_seconds"
        }
    }

    struct Guard: Encodable {
        var managedSeats: Int
        var seatsRemoved: Int
        var customersToZero: [String]
        var violations: [Violation]
        var held: Bool
        var heldSeats: Int
        var heldCustomers: Int

        enum CodingKeys: String, CodingKey {
            case violations, held
            case managedSeats = "managed_seats"
            case seatsRemoved = "seats_removed"
            case customersToZero = "customers_to_zero"
            case heldSeats = "held_seats"
            case heldCustomers = "held_customers"
        }
    }

    struct Violation: Encodable {
        var limit: String
        var message: String
    }

    struct Customer: Encodable {
        var customer: String
        var outcome: String
        var requestID: String?
        var idempotencyKey: String?
        var error: Failure?
        var lines: [Line]

        enum CodingKeys: String, CodingKey {
            case customer, outcome, error, lines
            case requestID = "request_id"
            case idempotencyKey = "idempotency_key"
        }
    }

    struct Failure: Encodable {
        var stage: String
        var message: String
        var requestID: String?

        enum CodingKeys: String, CodingKey {
            case stage, message
            case requestID = "request_id"
        }
    }

    struct Line: Encodable {
        var feature: String
        var current: Int?
        var desired: Int
        var delta: Int?
        var status: String
        var reason: String
        var newBalance: Int?
        /// Held since, or pending since (ISO 8601).
        var since: String?

        enum CodingKeys: String, CodingKey {
            case feature, current, desired, delta, status, reason, since
            case newBalance = "new_balance"
        }
    }

    enum CodingKeys: String, CodingKey {
        case format, version, aborted, summary, customers
        case passID = "pass_id"
        case dryRun = "dry_run"
        case allowDecrease = "allow_decrease"
        case exitCode = "exit_code"
        case stateError = "state_error"
        case guardVerdict = "guard"
        case reads
    }

    init(_ report: PassReport) {
        passID = report.passID
        dryRun = report.dryRun
        allowDecrease = report.allowDecrease
        exitCode = report.exitCode.rawValue
        aborted = report.abortReason
        stateError = report.stateError
        summary = Summary(
            customers: report.customersSeen,
            inSync: report.inSync,
            changed: report.changed,
            failed: report.failed,
            held: report.held,
            pending: report.pending,
            warnings: report.warnings,
            seatsAdded: report.seatsAdded,
            seatsRemoved: report.seatsRemoved,
            durationSeconds: (report.duration.timeInterval * 1e6).rounded(.down) / 1e6
        )
        guardVerdict = report.verdict.map { verdict in
            Guard(
                managedSeats: verdict.managedSeats,
                seatsRemoved: verdict.seatsRemoved,
                customersToZero: verdict.customersToZero,
                violations: verdict.violations.map { Violation(limit: $0.limitKey, message: $0.description) },
                held: verdict.held,
                heldSeats: verdict.heldSeats,
                heldCustomers: verdict.heldCustomers
            )
        }
        reads = Reads(
            full: report.reads.full,
            changed: report.reads.changed,
            due: report.reads.due,
            slice: report.reads.slice,
            notRead: report.reads.notRead,
            oldestConfirmedSeconds: report.reads.oldestConfirmed.map { Int($0) }
        )
        customers = report.plan.customers.map(Customer.init)
    }
}

extension PlanDocument.Customer {
    init(_ plan: CustomerPlan) {
        customer = plan.customer
        lines = plan.lines.map { line in
            PlanDocument.Line(
                feature: line.feature,
                current: line.current,
                desired: line.desired,
                delta: line.current == nil ? nil : line.delta,
                status: line.status.rawValue,
                reason: line.reason,
                newBalance: line.result,
                since: line.since.map { $0.formatted(Date.ISO8601FormatStyle()) }
            )
        }
        switch plan.outcome {
        case .noWrite:
            outcome = "no_write"
        case .planned:
            outcome = "planned"
        case .applied(let requestID, let key):
            outcome = "applied"
            self.requestID = requestID
            idempotencyKey = key
        case .failed(let failure):
            outcome = "failed"
            error = PlanDocument.Failure(
                stage: failure.stage.rawValue,
                message: failure.message,
                requestID: failure.requestID
            )
        }
    }
}
