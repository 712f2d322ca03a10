package import Foundation

/// An operator's approval of held changes, as `seat-sync approve` leaves it in the state folder for the next
/// pass (the running daemon's, or a one-shot run's) to act on exactly once.
package struct Approval: Sendable, Hashable, Codable {
    /// Random; names the file, and is remembered in the state once acted on.
    package var id: String
    /// The id of the held set the operator reviewed (`seat-sync held`).
    package var setID: String
    /// `--customer`: only this customer's part of the set.
    package var customer: String?
    package var approvedAt: Date
    /// Who approved: the user id the command ran as, for the log.
    package var approvedBy: String
    /// Exactly the changes approved.
    package var changes: [HeldChange]

    init(setID: String, customer: String?, approvedAt: Date, approvedBy: String, changes: [HeldChange]) {
        id = Reconciler.makePassID()
        self.setID = setID
        self.customer = customer
        self.approvedAt = approvedAt
        self.approvedBy = approvedBy
        self.changes = changes.sorted()
    }

    enum CodingKeys: String, CodingKey {
        case id, customer, changes
        case setID = "set_id"
        case approvedAt = "approved_at"
        case approvedBy = "approved_by"
    }

    /// The file the approval is kept in, inside the state folder.
    var fileName: String { ApprovalStore.prefix + id + ".json" }
}

/// The approvals waiting in the state folder, one file each, so that two operators approving at once never
/// overwrite each other and a pass that is running while one arrives does not lose it.
struct ApprovalStore: Sendable {
    static let prefix = "approval-"
    let folder: StateFolder

    /// Writes an approval as a file of its own, owned like the folder.
    func save(_ approval: Approval) throws(StateFolderError) {
        let data: Data
        do {
            data = try StateStore.encoder.encode(approval)
        } catch {
            throw .cannotAccess(path: folder.file(approval.fileName), step: "encode", reason: "\(error)", errno: 0)
        }
        try folder.replace(approval.fileName, with: data)
    }

    /// The approvals not yet acted on, oldest first, and the files that could not be read as one.
    func waiting(handled: [String]) -> (approvals: [Approval], unreadable: [String]) {
        let names = (try? folder.names(withPrefix: Self.prefix)) ?? []
        var approvals: [Approval] = []
        var unreadable: [String] = []
        for name in names where name.hasSuffix(".json") {
            do {
                guard let data = try folder.contents(of: name) else { continue }
                let approval = try StateStore.decoder.decode(Approval.self, from: data)
                if !handled.contains(approval.id) { approvals.append(approval) }
            } catch {
                unreadable.append("\(folder.file(name)): \(error)")
            }
        }
        return (approvals.sorted { $0.approvedAt < $1.approvedAt }, unreadable)
    }

    /// Removes the file of an approval acted on; the state already remembers it, so a failure is harmless.
    func remove(_ approval: Approval) {
        try? folder.remove(approval.fileName)
    }
}
