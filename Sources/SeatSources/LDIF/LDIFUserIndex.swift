/// User entries found by what a group may name them by other than their DN: `memberUid` (any `uid` value, or the
/// `uidNumber`) and an AD group's relative id (`primaryGroupID`).
///
/// Built once, before the mapped groups are expanded, and only the indexes some group of the export can use; the
/// expansions on either thread then share it.
struct LDIFUserIndex {
    /// User entries by lower-cased `uid` and by `uidNumber`: DN numbers.
    private var byUID: [String: [Int32]] = [:]
    private var byUIDNumber: [String: [Int32]] = [:]
    /// User entries by AD `primaryGroupID`: DN numbers.
    private var byPrimaryGroup: [UInt32: [Int32]] = [:]

    init(_ directory: LDIFDirectory) {
        let groups = directory.entries.lazy.filter(\.isGroup)
        let indexesUIDs = groups.contains { !$0.memberUids.isEmpty }
        let indexesPrimaryGroups = groups.contains { $0.relativeID != nil }
        guard indexesUIDs || indexesPrimaryGroups else { return }
        // The entry with the empty DN is the root DSE, never a user: a memberUid naming its uid counts by the uid.
        for (position, entry) in directory.entries.enumerated() where !entry.isGroup && !entry.dn.isEmpty {
            let id = directory.entryIDs[position]
            if indexesUIDs {
                // Values differing only in case list the entry once.
                for uid in Set(entry.uids.map { $0.lowercased() }) { byUID[uid, default: []].append(id) }
                if let number = entry.uidNumber { byUIDNumber[number, default: []].append(id) }
            }
            if indexesPrimaryGroups, let group = entry.primaryGroupID {
                byPrimaryGroup[group, default: []].append(id)
            }
        }
    }

    /// The user entries a `memberUid` value names: by `uid` compared case-insensitively, else, for a number, by
    /// `uidNumber`.
    func entries(withUID uid: String) -> [Int32] {
        let candidates = byUID[uid.lowercased()] ?? []
        guard candidates.isEmpty, uid.allSatisfy({ $0.isASCII && $0.isNumber }) else { return candidates }
        return byUIDNumber[uid] ?? []
    }

    /// The user entries whose `primaryGroupID` is `relativeID`.
    func entries(withPrimaryGroup relativeID: UInt32) -> [Int32] {
        byPrimaryGroup[relativeID] ?? []
    }
}
