import Logging

/// Decides which waiting approvals a pass acts on: an approval is applied whole when the plan still has every
/// change it names exactly (same customer, code, from and to), and is void otherwise, with one log line.
enum ApprovalCheck {
    struct Result {
        /// The changes of the approvals that hold.
        var changes: [HeldChange]
        /// Every approval acted on, applied or void: none of them is looked at again.
        var acted: [Approval]
    }

    static func valid(_ approvals: [Approval], against plan: SeatPlan, unread: Set<String>, logger: Logger) -> Result {
        var result = Result(changes: [], acted: [])
        for approval in approvals {
            // A customer whose balances could not be read cannot be judged: the approval waits for a pass that can.
            if approval.changes.contains(where: { unread.contains($0.customer) }) { continue }
            result.acted.append(approval)
            if let missing = approval.changes.first(where: { !plan.has($0) }) {
                logger.warning(
                    "approval void: the sources no longer want a change it approved",
                    metadata: [
                        "approval": "\(approval.id)",
                        "held_set": "\(approval.setID)",
                        "change": "\(Reconciler.list([missing]))",
                        "now": "\(plan.describe(missing))",
                        "next": "nothing of it applied; review what is held now with seat-sync held",
                    ]
                )
                continue
            }
            logger.info(
                "approval taken",
                metadata: [
                    "approval": "\(approval.id)",
                    "held_set": "\(approval.setID)",
                    "approved_by": "\(approval.approvedBy)",
                    "changes": "\(Reconciler.list(approval.changes))",
                ]
            )
            result.changes += approval.changes
        }
        return result
    }
}

extension SeatPlan {
    /// Whether the plan writes (or would, but for the guard) exactly `change`.
    fileprivate func has(_ change: HeldChange) -> Bool {
        customers.contains { customer in
            customer.customer == change.customer
                && customer.lines.contains {
                    ($0.status == .increase || $0.status == .decrease) && $0.feature == change.feature
                        && $0.current == change.from && $0.desired == change.to
                }
        }
    }

    /// What the plan says of the code a change was about, for the void line.
    fileprivate func describe(_ change: HeldChange) -> String {
        guard let customer = customers.first(where: { $0.customer == change.customer }),
            let line = customer.lines.first(where: { $0.feature == change.feature })
        else { return "no longer planned" }
        return "\(line.current.map(String.init) ?? "-")->\(line.desired) (\(line.status.rawValue))"
    }
}
