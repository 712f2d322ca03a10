import Foundation
import Logging

/// The state folder as one pass sees it: the state it starts from, the approvals waiting, and the saves.
struct PassState {
    /// `nil` on a dry run when the state folder does not exist yet.
    let store: StateStore?
    let approvals: ApprovalStore?
    let state: SyncState
    /// Whether the state was loaded from a good file (not fresh, not corrupt): only then can a pass trust what
    /// earlier passes confirmed and leave customers unread.
    var loaded = false

    /// Opens the folder and loads the state. A pass that writes checks the folder's ownership and mode first; a
    /// dry run only looks.
    /// - Throws: ``StateFolderError`` when the folder or the state file cannot be used safely: a pass must not
    ///   run on a state it could not see.
    static func open(_ directory: String, dryRun: Bool, logger: Logger) throws(StateFolderError) -> PassState {
        let folder = dryRun ? try StateFolder.look(directory) : try StateFolder.prepare(directory)
        guard let folder else { return PassState(store: nil, approvals: nil, state: SyncState()) }
        let store = StateStore(folder: folder)
        let loaded = try store.load()
        // Both cases lose what the last pass left: snapshot sequences (replay protection), holds and the writes
        // Commet accepted but did not show yet. Worth a line either way; on a first run it is expected.
        let consequence =
            "replay protection, holds and pending changes start over"
            + (dryRun ? "" : "; the file is rewritten after this pass")
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
        var access = PassState(store: store, approvals: ApprovalStore(folder: folder), state: loaded.state)
        if case .loaded = loaded { access.loaded = true }
        return access
    }

    /// The approvals waiting in the folder that no pass has acted on yet.
    func waitingApprovals(handled: [String], logger: Logger) -> [Approval] {
        guard let approvals else { return [] }
        let waiting = approvals.waiting(handled: handled)
        for problem in waiting.unreadable {
            logger.error(
                "approval file unreadable; ignored",
                metadata: ["error": "\(problem)", "next": "remove it and approve again with seat-sync approve"]
            )
        }
        return waiting.approvals
    }

    /// Saves the state; returns the error line when it could not be saved.
    /// - Parameter before: whether this is the save before the first write, which, when it fails, stops the
    ///   pass's writes.
    func save(_ state: SyncState, logger: Logger, before: Bool) -> String? {
        guard let store else { return nil }
        do {
            try store.save(state)
            return nil
        } catch {
            let next =
                before
                ? "nothing written: no write is sent without a record of it; fix the state folder"
                : "the writes landed; the next pass re-reads every balance and may send a deferred decrease again"
            logger.error("state not saved", metadata: ["error": "\(error)", "next": "\(next)"])
            return "\(error)"
        }
    }
}
