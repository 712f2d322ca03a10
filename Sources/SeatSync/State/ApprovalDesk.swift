package import Foundation

#if canImport(Glibc)
import Glibc
#endif

/// What `seat-sync held` and `seat-sync approve` do with the state folder: list the held set, and record an
/// approval of exactly that set for the next pass (a running daemon's or a one-shot run's).
package enum ApprovalDesk {
    /// The changes held by the last pass that wrote, with the approvals already waiting.
    package struct Listing: Sendable {
        package var held: HeldSet
        package var waiting: [Approval]
        /// When the pass that left the holds saved them, if any pass did.
        package var savedAt: Date?
    }

    /// Reads the held set without writing anything.
    /// - Throws: ``StateFolderError`` when the state cannot be read, or ``ApprovalDeskError`` when it is corrupt.
    package static func held(stateDirectory: String) throws -> Listing {
        guard let folder = try StateFolder.look(stateDirectory) else {
            return Listing(held: HeldSet([]), waiting: [], savedAt: nil)
        }
        let state = try loadState(StateStore(folder: folder))
        let waiting = ApprovalStore(folder: folder).waiting(handled: state.handledApprovals).approvals
        return Listing(held: HeldSet(state.holds), waiting: waiting, savedAt: state.lastPass?.finishedAt)
    }

    /// Records the approval of the held set `setID`, or of its part for `customer`.
    /// - Returns: the approval as saved.
    /// - Throws: ``ApprovalError`` when the set is not the one held now or holds nothing for `customer`;
    ///   ``StateFolderError`` when the folder cannot be written.
    package static func approve(
        setID: String,
        customer: String?,
        stateDirectory: String,
        now: Date = Date()
    ) throws
        -> Approval
    {
        let folder = try StateFolder.prepare(stateDirectory)
        let state = try loadState(StateStore(folder: folder))
        let held = HeldSet(state.holds)
        guard !held.changes.isEmpty else { throw ApprovalError.nothingHeld }
        guard held.id == setID else { throw ApprovalError.setChanged(reviewed: setID, current: held.id) }
        let approved = customer.map { held.only(customer: $0) } ?? held
        if let customer, approved.changes.isEmpty {
            throw ApprovalError.customerNotHeld(customer: customer, setID: setID)
        }
        let approval = Approval(
            setID: setID,
            customer: customer,
            approvedAt: now,
            approvedBy: "uid \(getuid())",
            changes: approved.changes
        )
        try ApprovalStore(folder: folder).save(approval)
        return approval
    }

    private static func loadState(_ store: StateStore) throws -> SyncState {
        switch try store.load() {
        case .fresh: return SyncState()
        case .loaded(let state): return state
        case .corrupt(let reason): throw ApprovalDeskError.corruptState(reason: reason)
        }
    }
}

/// The state file cannot be read as one: nothing can be listed or approved from it.
package enum ApprovalDeskError: Error, Sendable, CustomStringConvertible {
    case corruptState(reason: String)

    package var description: String {
        switch self {
        case .corruptState(let reason): return "\(reason); the next pass that writes rewrites it"
        }
    }
}
