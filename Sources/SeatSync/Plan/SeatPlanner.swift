import Foundation
import SeatSources

/// Turns desired seats and observed balances into a plan. Pure: no I/O, same input, same plan.
enum SeatPlanner {
    /// Plans every customer whose balances were read.
    /// - Parameters:
    ///   - desired: the merged sources.
    ///   - observed: per customer, the balances `getAllBalances` reported (the codes on the customer's plan).
    ///   - policy: `absent_features` and the customers to bring to zero.
    ///   - accepted: the writes Commet accepted in earlier passes. A decrease that still shows the balance seen
    ///     before it, while the sources still want the written value, is pending: not rewritten until
    ///     `policy.pending_timeout` after it was last sent. Any other such line is drift, written again.
    ///   - now: the time pending ages are measured at.
    /// - Returns: a plan with one ``CustomerPlan`` per customer in `observed`.
    static func plan(
        desired: DesiredSeats,
        observed: [String: [String: Int]],
        policy: PlanPolicy,
        accepted: [AcceptedWrite] = [],
        now: Date = Date()
    ) -> SeatPlan {
        var acceptedByKey: [AcceptedKey: AcceptedWrite] = [:]
        for write in accepted { acceptedByKey[AcceptedKey(customer: write.customer, feature: write.feature)] = write }
        let customers = observed.map { customer, balances in
            planCustomer(
                customer,
                wanted: wanted(for: customer, in: desired),
                balances: balances,
                policy: policy,
                accepted: { acceptedByKey[AcceptedKey(customer: customer, feature: $0)] },
                now: now
            )
        }
        return SeatPlan(customers: customers)
    }

    /// The customers a pass must read: everyone the sources name, plus `zero_customers` they do not.
    static func customers(desired: DesiredSeats, policy: PlanPolicy) -> [String] {
        Set(desired.customers.keys).union(policy.zeroCustomers).sorted()
    }

    /// The desired count of every managed code for one customer; a code the sources leave out is 0.
    private static func wanted(for customer: String, in desired: DesiredSeats) -> [String: DesiredCount] {
        guard let counts = desired.customers[customer] else {
            let why = "in policy.zero_customers and in no source"
            return Dictionary(
                uniqueKeysWithValues: desired.managedFeatures.map { ($0, DesiredCount(count: 0, why: why)) }
            )
        }
        var wanted = counts
        for feature in desired.managedFeatures where wanted[feature] == nil {
            wanted[feature] = DesiredCount(count: 0, why: "no source grants it")
        }
        return wanted
    }

    private static func planCustomer(
        _ customer: String,
        wanted: [String: DesiredCount],
        balances: [String: Int],
        policy: PlanPolicy,
        accepted: (String) -> AcceptedWrite?,
        now: Date
    ) -> CustomerPlan {
        let pending = PendingRule(timeout: policy.pendingTimeout, now: now)
        var lines: [PlanLine] = []
        for (feature, want) in wanted {
            guard let current = balances[feature] else {
                if want.count > 0 {
                    let reason = "not on the customer's plan; left out of the write (\(want.why))"
                    lines.append(
                        PlanLine(
                            feature: feature,
                            current: nil,
                            desired: want.count,
                            status: .notOnPlan,
                            reason: reason
                        )
                    )
                }
                continue
            }
            lines.append(
                line(
                    feature,
                    current: current,
                    desired: want.count,
                    why: want.why,
                    accepted: accepted(feature),
                    pending
                )
            )
        }
        for (feature, current) in balances where wanted[feature] == nil {
            switch policy.absentFeatures {
            case .keep:
                let reason = "no source mentions it; kept (absent_features: keep)"
                lines.append(
                    PlanLine(feature: feature, current: current, desired: current, status: .kept, reason: reason)
                )
            case .zero:
                let why = "no source mentions it; absent_features: zero"
                lines.append(
                    line(feature, current: current, desired: 0, why: why, accepted: accepted(feature), pending)
                )
            }
        }
        lines.sort { $0.feature < $1.feature }
        return CustomerPlan(customer: customer, observed: balances, lines: lines)
    }

    private static func line(
        _ feature: String,
        current: Int,
        desired: Int,
        why: String,
        accepted: AcceptedWrite?,
        _ pending: PendingRule
    ) -> PlanLine {
        if current == desired {
            return PlanLine(feature: feature, current: current, desired: desired, status: .inSync, reason: why)
        }
        if let accepted, accepted.observed == current, accepted.written == desired {
            if let line = pending.line(feature, accepted: accepted) { return line }
        }
        let status: PlanLine.Status = desired > current ? .increase : .decrease
        var reason = why
        if let accepted, accepted.observed == current, accepted.written == desired {
            reason = "Commet accepted \(desired) before but shows \(current): drift, written again; " + why
        }
        return PlanLine(feature: feature, current: current, desired: desired, status: status, reason: reason)
    }
}

/// When a change Commet accepted but does not show is pending, and when it is sent once more.
///
/// Only a decrease can be pending: Commet applies removals at the end of the billing period. An increase, or a
/// decrease whose balance moved, that does not show after an accepted write is drift, and written again.
struct PendingRule {
    var timeout: Duration
    var now: Date

    /// The pending or resent line for an accepted write the balance does not show, or `nil` when it is drift.
    func line(_ feature: String, accepted: AcceptedWrite) -> PlanLine? {
        guard accepted.isDecrease else { return nil }
        let age = DurationText.format(wholeSeconds(now.timeIntervalSince(accepted.acceptedAt)))
        let waited = now.timeIntervalSince(accepted.sentAt)
        let current = accepted.observed
        let desired = accepted.written
        guard waited >= timeout.timeInterval else {
            let reason =
                "Commet accepted \(desired) \(age) ago but still shows \(current) (a removal applies at the end "
                + "of the billing period); sent again after policy.pending_timeout "
                + DurationText.format(timeout)
            return PlanLine(
                feature: feature,
                current: current,
                desired: desired,
                status: .pending,
                reason: reason,
                since: accepted.acceptedAt
            )
        }
        let reason =
            "pending \(age), over policy.pending_timeout \(DurationText.format(timeout)): sent once more"
        return PlanLine(
            feature: feature,
            current: current,
            desired: desired,
            status: .resent,
            reason: reason,
            since: accepted.acceptedAt
        )
    }

    private func wholeSeconds(_ interval: TimeInterval) -> Duration {
        .seconds(Int64(max(0, interval).rounded(.down)))
    }
}

private struct AcceptedKey: Hashable {
    var customer: String
    var feature: String
}
