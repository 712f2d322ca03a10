package import CommetSeats
package import Foundation
package import Logging
import SeatSources

/// One pass: read sources, merge, read balances, plan, guard, save what is about to be written, apply, save
/// what Commet answered, report.
///
/// A pass is self-contained so that `--once` calls it once and the daemon calls it on every tick; what one
/// pass decides for the next (holds, pending writes, approvals acted on) lives in the state folder.
package struct Reconciler: Sendable {
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
    package init(
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
    package func runPass(_ options: PassOptions) async -> PassReport {
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
                "sources": "\(config.sourceDefinitions.count)",
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
        for note in desired.notes { logger.warning("source note", metadata: ["note": "\(SourceNoteText.line(note))"]) }

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
        let pending = Set(
            plan.customers.flatMap { customer in
                customer.lines.filter { $0.status == .pending }.map { "\(customer.customer)\u{0}\($0.feature)" }
            }
        )
        let carried = accepted.filter { write in
            unreadIDs.contains(write.customer) || pending.contains("\(write.customer)\u{0}\(write.feature)")
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

    /// A fresh random id (a pass's, an approval's): 64 random bits as 16 hex digits.
    static func makePassID() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
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
