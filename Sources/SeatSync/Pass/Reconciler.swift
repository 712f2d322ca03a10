public import CommetSeats
import Foundation
public import Logging
import SeatSources

/// One pass: read sources, merge, read balances, plan, guard, apply, save state, report.
///
/// A pass is self-contained so that `--once` calls it once and the daemon calls it on every tick.
public struct Reconciler: Sendable {
    let config: SeatSyncConfig
    let client: CommetSeatsClient
    let logger: Logger

    /// - Parameters:
    ///   - config: the loaded configuration (sources, policy, concurrency, state folder).
    ///   - client: the Commet client; its rate limit is shared by reads and writes.
    ///   - logger: receives the pass's log lines.
    public init(config: SeatSyncConfig, client: CommetSeatsClient, logger: Logger) {
        self.config = config
        self.client = client
        self.logger = logger
    }

    /// Runs one pass. Never throws: every failure is in the report and its exit code.
    /// - Parameter options: dry run and guard approval.
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
                "allow_decrease": "\(options.allowDecrease)",
                "sources": "\(config.sources.count)",
            ]
        )
        var report = PassReport(
            passID: passID,
            dryRun: options.dryRun,
            allowDecrease: options.allowDecrease,
            startedAt: Date(),
            duration: .zero,
            plan: SeatPlan(customers: []),
            verdict: nil
        )
        report = await run(options, into: report, logger: logger)
        report.duration = clock.now - started
        logSummary(report, logger: logger)
        return report
    }

    private func run(_ options: PassOptions, into report: PassReport, logger: Logger) async -> PassReport {
        var report = report
        let store = StateStore(directory: config.stateDirectory)
        let loaded = store.load()
        // Both cases lose what the last pass left: snapshot sequences (replay protection) and the writes Commet
        // accepted but did not show yet (which may now be written once more). Worth a line either way; on a
        // first run it is expected.
        let consequence =
            "replay protection and pending changes start over"
            + (options.dryRun ? "" : "; the file is rewritten after this pass")
        switch loaded {
        case .fresh:
            logger.warning(
                "no state file; starting fresh",
                metadata: [
                    "file": "\(store.file)",
                    "next": "expected before the first pass that writes; otherwise \(consequence)",
                ]
            )
        case .corrupt(let reason):
            logger.warning(
                "state file unusable; starting fresh",
                metadata: ["error": "\(reason)", "next": "\(consequence)"]
            )
        case .loaded:
            break
        }
        var state = loaded.state

        let readings: [SourceReading]
        let desired: DesiredSeats
        do {
            readings = try await readSources(state: state)
            desired = try SeatMerger.merge(readings, policy: config.merge)
        } catch {
            logger.error(
                "pass aborted",
                metadata: ["error": "\(error)", "next": "nothing written; no Commet call was made"]
            )
            report.abortReason = "\(error)"
            return report
        }
        if !desired.unmappedRoles.isEmpty {
            let roles = desired.unmappedRoles.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }
            logger.info("roles no mapping names; ignored", metadata: ["roles": "\(roles.joined(separator: ","))"])
        }
        for note in desired.notes { logger.warning("source note", metadata: ["note": "\(note)"]) }

        let customers = SeatPlanner.customers(desired: desired, policy: config.policy)
        let (observed, unreadable) = await readBalances(of: customers, logger: logger)

        let accepted = state.lastPass?.accepted ?? []
        let planned = SeatPlanner.plan(desired: desired, observed: observed, policy: config.policy, accepted: accepted)
        var (plan, verdict) = SeatGuard.check(
            planned,
            limits: config.policy.guardLimits,
            allowDecrease: options.allowDecrease
        )
        logGuard(verdict, approval: options.approval, logger: logger)
        report.verdict = verdict

        if options.dryRun {
            for index in plan.customers.indices where plan.customers[index].hasWrites {
                plan.customers[index].outcome = .planned
            }
        } else {
            let applier = SeatApplier(client: client, concurrency: config.commet.concurrency, logger: logger)
            plan = await applier.apply(plan, passID: report.passID)
        }
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

        guard !options.dryRun else { return report }
        for reading in readings {
            if let sequence = reading.sequence { state.sequences[reading.source] = sequence }
        }
        let unreadableIDs = Set(unreadable.map(\.customer))
        state.lastPass = SyncState.PassRecord(
            id: report.passID,
            finishedAt: Date(),
            accepted: Self.accepted(in: plan) + accepted.filter { unreadableIDs.contains($0.customer) }
        )
        report.stateError = save(state, to: store, logger: logger)
        return report
    }

    /// Reads every customer's balances; customers whose read failed come back as failed plans.
    private func readBalances(
        of customers: [String],
        logger: Logger
    ) async -> (observed: [String: [String: Int]], unreadable: [CustomerPlan]) {
        let reader = BalanceReader(client: client, concurrency: config.commet.concurrency, logger: logger)
        var observed: [String: [String: Int]] = [:]
        var unreadable: [CustomerPlan] = []
        for (customer, reading) in await reader.read(customers) {
            switch reading {
            case .balances(let balances): observed[customer] = balances
            case .failed(let failure): unreadable.append(.unreadable(customer, failure: failure))
            }
        }
        return (observed, unreadable)
    }

    /// Saves the state; returns the error line when it could not be saved.
    private func save(_ state: SyncState, to store: StateStore, logger: Logger) -> String? {
        do {
            try store.save(state)
            return nil
        } catch {
            logger.error(
                "state not saved",
                metadata: [
                    "error": "\(error)", "next": "the next pass re-reads balances; pending changes may be sent again",
                ]
            )
            return "\(error)"
        }
    }

    /// The writes Commet accepted in this pass, and the pending ones carried over so they stay pending.
    private static func accepted(in plan: SeatPlan) -> [AcceptedWrite] {
        plan.customers.flatMap { customer -> [AcceptedWrite] in
            let written: Bool
            if case .applied = customer.outcome { written = true } else { written = false }
            return customer.lines.compactMap { line in
                guard let current = line.current else { return nil }
                guard line.status == .pending || (written && line.isWrite) else { return nil }
                return AcceptedWrite(
                    customer: customer.customer,
                    feature: line.feature,
                    observed: current,
                    written: line.desired
                )
            }
        }
    }

    /// Reads every source off the cooperative pool: a large CSV takes seconds of blocking I/O and parsing.
    private func readSources(state: SyncState) async throws -> [SourceReading] {
        let sources = config.sources(lastAppliedSequences: state.sequences)
        let now = Date()
        return try await withCheckedThrowingContinuation { continuation in
            DispatchQueue.global().async {
                continuation.resume(with: Result { try sources.map { try $0.read(now: now) } })
            }
        }
    }

    private func logGuard(_ verdict: GuardVerdict, approval: String, logger: Logger) {
        guard !verdict.violations.isEmpty else { return }
        if verdict.held {
            logger.error(
                "decreases held by the guard",
                metadata: [
                    "held_seats": "\(verdict.heldSeats)",
                    "held_customers": "\(verdict.heldCustomers)",
                    "limits": "\(verdict.summary)",
                    "next": "\(approval)",
                ]
            )
        } else {
            logger.warning(
                "guard limits exceeded; decreases approved by --allow-decrease",
                metadata: ["seats_removed": "\(verdict.seatsRemoved)", "limits": "\(verdict.summary)"]
            )
        }
    }

    private func logSummary(_ report: PassReport, logger: Logger) {
        let seconds = report.duration.seconds
        let metadata: Logger.Metadata = [
            "customers": "\(report.customersSeen)",
            "in_sync": "\(report.inSync)",
            "changed": "\(report.changed)",
            "failed": "\(report.failed)",
            "held": "\(report.held)",
            "pending": "\(report.pending)",
            "seats_added": "\(report.seatsAdded)",
            "seats_removed": "\(report.seatsRemoved)",
            "duration": "\(String(format: "%.3f", seconds))s",
            "dry_run": "\(report.dryRun)",
            "exit_code": "\(report.exitCode.rawValue)",
        ]
        switch report.exitCode {
        case .failure: logger.error("pass finished", metadata: metadata)
        case .decreasesHeld: logger.warning("pass finished", metadata: metadata)
        case .success, .changesPending: logger.info("pass finished", metadata: metadata)
        }
    }

    /// A fresh random id per pass: 64 random bits as 16 hex digits.
    static func makePassID() -> String {
        let digits = String(UInt64.random(in: .min ... .max), radix: 16)
        return String(repeating: "0", count: 16 - digits.count) + digits
    }
}
