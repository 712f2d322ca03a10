import CommetSeats
import Foundation
import SeatSources

/// What a pass keeps for the next: which customers it reads, and the records and accepted writes it leaves.
extension Reconciler {
    /// Which customers the pass reads: everyone, unless the pass may be incremental and what earlier passes
    /// confirmed can be trusted (a good state file, left by a pass that ended, by this seat-sync version, with
    /// this config).
    func select(
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
    static func digests(of customers: [String], in desired: DesiredSeats) -> [String: String] {
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
    static func managedSeats(of unread: [String: CustomerRecord], managed: Set<String>) -> Int {
        unread.values.reduce(0) { total, record in
            total + record.balances.filter { managed.contains($0.key) }.values.reduce(0, +)
        }
    }

    /// The records after a pass: customers read and planned are confirmed now, with the writes Commet accepted;
    /// a customer that failed has none (the next pass reads it); unread ones keep theirs; customers no source
    /// names any more are forgotten.
    static func records(
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

    /// The writes Commet accepted in this pass. A pending decrease sent once more keeps the time it was first
    /// accepted, so its age goes on counting.
    static func accepted(in plan: SeatPlan, before: [AcceptedWrite], at time: Date) -> [AcceptedWrite] {
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
}
