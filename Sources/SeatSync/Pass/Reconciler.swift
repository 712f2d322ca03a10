public import CommetSeats
public import Foundation
public import Logging
import SeatSources

/// One pass: read sources, merge, read balances, plan, guard, save what is about to be written, apply, save
/// what Commet answered, report.
///
/// A pass is self-contained so that `--once` calls it once and the daemon calls it on every tick; what one
/// pass decides for the next (holds, pending writes, approvals acted on) lives in the state folder.
public struct Reconciler: Sendable {
    let config: SeatSyncConfig
    let client: CommetSeatsClient
    let logger: Logger
    /// Where the API key was read, for the one error line of a refused key.
    let keyOrigin: String
    let now: @Sendable () -> Date

    /// - Parameters:
    ///   - config: the loaded configuration (sources, policy, concurrency, state folder).
    ///   - client: the Commet client; its rate limit is shared by reads and writes.
    ///   - logger: receives the pass's log lines.
    ///   - keyOrigin: where the API key came from (`file /etc/seat-sync/commet-api-key`).
    ///   - now: the wall clock holds, pending ages and approvals are stamped with.
    public init(
        config: SeatSyncConfig,
        client: CommetSeatsClient,
        logger: Logger,
        keyOrigin: String = "the configured key",
        now: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.config = config
        self.client = client
        self.logger = logger
        self.keyOrigin = keyOrigin
        self.now = now
    }

    /// Runs one pass. Never throws: every failure is in the report and its exit code.
    /// - Parameter options: dry run and approvals.
    /// - Returns: what the pass did.
    public func runPass(_ options: PassOptions) async -> PassReport {
        let clock = ContinuousClock()
        let started = clock.now
        let passID = Self.makePassID()
        var logger = self.logger
        logger[metadataKey: "pass"] = "\(passID)"
        logger.info(
            "pass started",
            metadata: [
                "dry_run": "\(options.dryRun)",
                "allow_decrease": "\(options.approvedSet ?? String(options.allowDecrease))",
                "sources": "\(config.sources.count)",
            ]
        )
        var report = PassReport(
            passID: passID,
            dryRun: options.dryRun,
            allowDecrease: options.allowDecrease || options.approvedSet != nil,
            startedAt: now(),
            duration: .zero,
            plan: SeatPlan(customers: []),
            verdict: nil
        )
        report = await run(options, into: report, logger: logger)
        report.duration = clock.now - started
        logSummary(report, logger: logger)
        if let textfile = config.metrics.textfile, !options.dryRun {
            writeMetrics(report, to: textfile, logger: logger)
        }
        return report
    }

    /// Writes the pass's gauges for node_exporter's textfile collector; a failure is a warning, not a failed pass.
    private func writeMetrics(_ report: PassReport, to path: String, logger: Logger) {
        let finished = now()
        let metrics = PassMetrics(
            finishedAt: finished,
            success: report.exitCode != .failure,
            duration: report.duration,
            customers: PassMetrics.Customers(
                inSync: report.inSync,
                changed: report.changed,
                failed: report.failed,
                held: report.held,
                pending: report.pending
            ),
            seatsHeld: report.seatsHeld,
            seatsPending: report.seatsPending,
            oldestHoldAge: report.oldestHoldAge(at: finished).map { .seconds($0) },
            oldestPendingAge: report.oldestPendingAge(at: finished).map { .seconds($0) },
            exitCode: report.exitCode
        )
        do {
            try MetricsTextfile.write(metrics, to: path)
        } catch {
            logger.warning(
                "metrics not written",
                metadata: ["error": "\(error)", "next": "the log still has every figure; retried after the next pass"]
            )
        }
    }

    private func run(_ options: PassOptions, into report: PassReport, logger: Logger) async -> PassReport {
        var report = report
        let stateAccess: PassState
        do {
            stateAccess = try PassState.open(config.stateDirectory, dryRun: options.dryRun, logger: logger)
        } catch {
            return aborted(report, error, logger: logger)
        }
        var state = stateAccess.state

        let readings: [SourceReading]
        let desired: DesiredSeats
        let approval: GuardApproval
        var approvals: [Approval]
        do {
            readings = try await readSources(state: state)
            desired = try SeatMerger.merge(readings, policy: config.merge)
            if let conflict = CustomerNames.conflict(
                in: SeatPlanner.customers(desired: desired, policy: config.policy),
                commetIDs: state.commetIDs
            ) {
                throw conflict
            }
            approval = try reviewedApproval(options, holds: state.holds)
            approvals = stateAccess.waitingApprovals(handled: state.handledApprovals, logger: logger)
        } catch {
            return aborted(report, error, logger: logger)
        }
        if !desired.unmappedRoles.isEmpty {
            let roles = desired.unmappedRoles.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            logger.info("roles no mapping names; ignored", metadata: ["roles": "\(roles.joined(separator: ","))"])
        }
        for note in desired.notes { logger.warning("source note", metadata: ["note": "\(note)"]) }

        let customers = SeatPlanner.customers(desired: desired, policy: config.policy)
        let digests = Self.digests(of: customers, in: desired)
        let selection = select(customers, digests: digests, options: options, access: stateAccess, approvals: approvals)
        report.reads = PassReport.Reads(selection, at: now())
        let reading = await BalanceReader(client: client, concurrency: config.commet.concurrency, logger: logger)
            .read(selection.read.map(\.customer))
        if let refusal = reading.keyRefused {
            return aborted(report, KeyRefused(error: refusal, origin: keyOrigin), logger: logger)
        }
        let unreadable = reading.failed.map { CustomerPlan.unreadable($0.key, failure: $0.value) }

        let passTime = now()
        let accepted = state.lastPass?.accepted ?? []
        let planned = SeatPlanner.plan(
            desired: desired,
            observed: reading.balances,
            policy: config.policy,
            accepted: accepted,
            now: passTime
        )
        let notRead = Set(reading.failed.keys).union(selection.unread.keys)
        let valid = ApprovalCheck.valid(approvals, against: planned, unread: notRead, logger: logger)
        approvals = valid.acted
        let outcome = SeatGuard.check(
            planned,
            limits: config.policy.guardLimits,
            holds: state.holds,
            approval: GuardApproval(
                allDecreases: approval.allDecreases,
                allIncreases: approval.allIncreases,
                changes: approval.changes + valid.changes
            ),
            unread: notRead,
            unreadManagedSeats: Self.managedSeats(of: selection.unread, managed: desired.managedFeatures),
            now: passTime
        )
        var plan = outcome.plan
        logGuard(outcome, options: options, logger: logger)
        logOffPlan(plan, logger: logger)
        logResent(plan, at: passTime, logger: logger)
        report.verdict = outcome.verdict
        if !outcome.holds.isEmpty { report.heldSetID = HeldSet(outcome.holds).id }

        if options.dryRun {
            for index in plan.customers.indices where plan.customers[index].hasWrites {
                plan.customers[index].outcome = .planned
            }
            report.plan = SeatPlan(customers: plan.customers + unreadable)
            return report
        }

        for reading in readings {
            if let sequence = reading.sequence { state.sequences[reading.source] = sequence }
        }
        state.holds = outcome.holds
        for approval in approvals { state.handled(approval: approval.id) }
        let unreadIDs = Set(reading.failed.keys)
        let carried = accepted.filter { write in
            unreadIDs.contains(write.customer)
                || plan.customers.contains { $0.customer == write.customer && $0.hasPending(write.feature) }
        }

        // No write without a durable record of it: the snapshot sequences and holds this pass acts on are saved
        // first, without the accepted entries of lines about to be written, so a pass whose end is never saved
        // leaves no stale entry that could make the next one skip a needed write.
        if plan.customers.contains(where: \.hasWrites) {
            state.lastPass = SyncState.PassRecord(
                id: report.passID,
                finishedAt: now(),
                accepted: carried,
                complete: false
            )
            if let error = stateAccess.save(state, logger: logger, before: true) {
                report.stateError = error
                for index in plan.customers.indices where plan.customers[index].hasWrites {
                    plan.customers[index].outcome = .failed(
                        .init(stage: .write, message: "not sent: the state could not be saved first")
                    )
                }
                report.plan = SeatPlan(customers: plan.customers + unreadable)
                return report
            }
        }

        let applier = SeatApplier(client: client, concurrency: config.commet.concurrency, logger: logger)
        plan = await applier.apply(plan, passID: report.passID)
        report.plan = SeatPlan(customers: plan.customers + unreadable)
        if Task.isCancelled {
            logger.warning(
                "pass cancelled",
                metadata: [
                    "not_written": "\(plan.customers.count { $0.outcome == SeatApplier.cancelledOutcome })",
                    "next": "customers not read or not written yet are done by the next pass",
                ]
            )
        }

        state.lastPass = SyncState.PassRecord(
            id: report.passID,
            finishedAt: now(),
            accepted: Self.accepted(in: plan, before: accepted, at: passTime) + carried
        )
        for customer in plan.customers { if let id = customer.commetID { state.commetIDs[customer.customer] = id } }
        state.customers = Self.records(
            after: plan,
            digests: digests,
            kept: state.customers,
            unread: Set(selection.unread.keys),
            at: now()
        )
        state.basis = RecordsBasis(version: CommetSeats.version, config: config.fingerprint)
        report.stateError = stateAccess.save(state, logger: logger, before: false)
        if report.stateError == nil { for approval in approvals { stateAccess.approvals?.remove(approval) } }
        return report
    }

    /// Which customers the pass reads: everyone, unless the pass may be incremental and what earlier passes
    /// confirmed can be trusted (a good state file, left by a pass that ended, by this seat-sync version, with
    /// this config).
    private func select(
        _ customers: [String],
        digests: [String: String],
        options: PassOptions,
        access: PassState,
        approvals: [Approval]
    ) -> ReadSelection {
        let state = access.state
        guard case .incremental(let slice) = options.scope, access.loaded, state.lastPass?.complete ?? true,
            state.basis == RecordsBasis(version: CommetSeats.version, config: config.fingerprint)
        else { return .full(customers) }
        var due = Set(state.holds.map(\.customer))
        due.formUnion((state.lastPass?.accepted ?? []).filter(\.isDecrease).map(\.customer))
        due.formUnion(approvals.flatMap { $0.changes.map(\.customer) })
        return .incremental(
            customers,
            desired: digests,
            records: state.customers,
            due: due,
            slice: slice,
            now: now(),
            interval: config.schedule.interval,
            fullResync: config.schedule.fullResync
        )
    }

    /// Each customer's ``DesiredDigest``: its count of every managed code (0 where no source grants it).
    private static func digests(of customers: [String], in desired: DesiredSeats) -> [String: String] {
        var digests: [String: String] = [:]
        for customer in customers {
            var seats: [String: Int] = [:]
            for feature in desired.managedFeatures { seats[feature] = 0 }
            for (feature, count) in desired.customers[customer] ?? [:] { seats[feature] = count.count }
            digests[customer] = DesiredDigest.of(seats)
        }
        return digests
    }

    /// The managed seats of customers left unread, from what their last read confirmed, so the guard still
    /// judges the whole picture.
    private static func managedSeats(of unread: [String: CustomerRecord], managed: Set<String>) -> Int {
        unread.values.reduce(0) { total, record in
            total + record.balances.filter { managed.contains($0.key) }.values.reduce(0, +)
        }
    }

    /// The records after a pass: customers read and planned are confirmed now, with the writes Commet accepted;
    /// a customer that failed has none (the next pass reads it); unread ones keep theirs; customers no source
    /// names any more are forgotten.
    private static func records(
        after plan: SeatPlan,
        digests: [String: String],
        kept: [String: CustomerRecord],
        unread: Set<String>,
        at time: Date
    ) -> [String: CustomerRecord] {
        var records: [String: CustomerRecord] = [:]
        for customer in unread { records[customer] = kept[customer] }
        for customer in plan.customers {
            guard !customer.isFailed, let digest = digests[customer.customer] else { continue }
            var balances = customer.observed
            if case .applied = customer.outcome {
                for line in customer.lines where line.isWrite { balances[line.feature] = line.result ?? line.desired }
            }
            records[customer.customer] = CustomerRecord(desired: digest, balances: balances, confirmedAt: time)
        }
        return records
    }

    private func aborted(_ report: PassReport, _ error: any Error, logger: Logger) -> PassReport {
        var report = report
        logger.error("pass aborted", metadata: ["error": "\(error)", "next": "nothing written"])
        report.abortReason = "\(error)"
        return report
    }

    /// The approval `--allow-decrease[=ID]` and `--allow-increase` give.
    /// - Throws: ``ApprovalError/setChanged(reviewed:current:)`` when the held set is no longer the one reviewed.
    private func reviewedApproval(_ options: PassOptions, holds: [HeldChange]) throws(ApprovalError) -> GuardApproval {
        var approval = GuardApproval(allDecreases: options.allowDecrease, allIncreases: options.allowIncrease)
        if let reviewed = options.approvedSet {
            let current = HeldSet(holds)
            guard current.id == reviewed else { throw .setChanged(reviewed: reviewed, current: current.id) }
            approval.changes = current.changes
        }
        return approval
    }

    /// The writes Commet accepted in this pass. A pending decrease sent once more keeps the time it was first
    /// accepted, so its age goes on counting.
    private static func accepted(in plan: SeatPlan, before: [AcceptedWrite], at time: Date) -> [AcceptedWrite] {
        plan.customers.flatMap { customer -> [AcceptedWrite] in
            guard case .applied = customer.outcome else { return [] }
            return customer.lines.compactMap { line in
                guard line.isWrite, let current = line.current else { return nil }
                let earlier = before.first {
                    $0.customer == customer.customer && $0.feature == line.feature && $0.observed == current
                        && $0.written == line.desired
                }
                return AcceptedWrite(
                    customer: customer.customer,
                    feature: line.feature,
                    observed: current,
                    written: line.desired,
                    acceptedAt: line.status == .resent ? (earlier?.acceptedAt ?? time) : time,
                    sentAt: time
                )
            }
        }
    }

    /// Reads every source off the cooperative pool: a large CSV takes seconds of blocking I/O and parsing.
    private func readSources(state: SyncState) async throws -> [SourceReading] {
        let sources = config.sources(lastAppliedSequences: state.sequences)
        let now = self.now()
        // A cancelled pass must not wait for a command source's whole timeout: cancelling kills its process group.
        let cancellation = CommandCancellation()
        return try await withTaskCancellationHandler {
            try await withCheckedThrowingContinuation { continuation in
                DispatchQueue.global().async {
                    continuation.resume(
                        with: Result {
                            try CommandCancellation.$current.withValue(cancellation) {
                                try sources.map { try $0.read(now: now) }
                            }
                        }
                    )
                }
            }
        } onCancel: {
            cancellation.cancel()
        }
    }

    private func logGuard(_ outcome: SeatGuard.Outcome, options: PassOptions, logger: Logger) {
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
    private func logOffPlan(_ plan: SeatPlan, logger: Logger) {
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
    private func logResent(_ plan: SeatPlan, at time: Date, logger: Logger) {
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

    private func logSummary(_ report: PassReport, logger: Logger) {
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

    /// A fresh random id (a pass's, an approval's): 64 random bits as 16 hex digits.
    static func makePassID() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}

extension CustomerPlan {
    /// Whether the line for `feature` is pending (its accepted write is carried to the next pass).
    fileprivate func hasPending(_ feature: String) -> Bool {
        lines.contains { $0.feature == feature && $0.status == .pending }
    }
}

/// Commet refused the API key: every other request would be refused too, so the pass ends at the first one.
struct KeyRefused: Error, CustomStringConvertible {
    var error: CommetError
    var origin: String

    var description: String {
        "Commet refused the API key read from \(origin) (HTTP \(error.status ?? 0) \(error.code ?? "")"
            + "\(error.requestID.map { ", request_id=\($0)" } ?? "")): check that it is this organization's key "
            + "and may manage seats"
    }
}
