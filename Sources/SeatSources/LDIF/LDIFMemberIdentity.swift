/// Who a member DN stands for.
///
/// Worked out from the directory each time rather than cached per DN: a DN without an entry needs one array read
/// to tell, and a cache took four bytes for each of the million DNs of the many-groups benchmark.
enum LDIFMemberIdentity {
    /// An AD account with `userAccountControl` bit 0x2: it takes no seat.
    case disabled
    /// The user entry at this position of the directory, whose user id attribute is what counts.
    case user(position: Int)
    /// No entry with the user id attribute has this DN; it counts by the normalised DN.
    case unresolved

    /// The identity of DN number `id` in `directory`.
    init(of id: Int32, in directory: LDIFDirectory) {
        guard let position = directory.position(of: id) else {
            self = .unresolved
            return
        }
        let entry = directory.entries[position]
        if entry.isDisabled {
            self = .disabled
        } else if entry.userID != nil {
            self = .user(position: position)
        } else {
            self = .unresolved
        }
    }
}
