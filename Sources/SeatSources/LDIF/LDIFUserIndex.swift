/// User entries found by what a group may name them by other than their DN: `memberUid` (any `uid` value, or the
/// `uidNumber`) and an AD group's relative id (`primaryGroupID`). Each index is built when first needed.
struct LDIFUserIndex {
    /// User entries by lower-cased `uid` and by `uidNumber`: DN numbers.
    private var byUID: (uid: [String: [Int32]], number: [String: [Int32]])?
    /// User entries by AD `primaryGroupID`: DN numbers.
    private var byPrimaryGroup: [UInt32: [Int32]]?

    /// The user entries a `memberUid` value names: by `uid` compared case-insensitively, else, for a number, by
    /// `uidNumber`.
    mutating func entries(withUID uid: String, in directory: LDIFDirectory) -> [Int32] {
        if byUID == nil {
            var index: (uid: [String: [Int32]], number: [String: [Int32]]) = ([:], [:])
            // The entry with the empty DN is the root DSE, never a user: a memberUid naming its uid counts by the uid.
            for (position, entry) in directory.entries.enumerated() where !entry.isGroup && !entry.dn.isEmpty {
                // Values differing only in case list the entry once.
                for uid in Set(entry.uids.map { $0.lowercased() }) {
                    index.uid[uid, default: []].append(directory.entryIDs[position])
                }
                if let number = entry.uidNumber {
                    index.number[number, default: []].append(directory.entryIDs[position])
                }
            }
            byUID = index
        }
        let candidates = byUID?.uid[uid.lowercased()] ?? []
        guard candidates.isEmpty, uid.allSatisfy({ $0.isASCII && $0.isNumber }) else { return candidates }
        return byUID?.number[uid] ?? []
    }

    /// The user entries whose `primaryGroupID` is `relativeID`.
    mutating func entries(withPrimaryGroup relativeID: UInt32, in directory: LDIFDirectory) -> [Int32] {
        if byPrimaryGroup == nil {
            var index: [UInt32: [Int32]] = [:]
            for (position, entry) in directory.entries.enumerated() where !entry.isGroup && !entry.dn.isEmpty {
                if let group = entry.primaryGroupID { index[group, default: []].append(directory.entryIDs[position]) }
            }
            byPrimaryGroup = index
        }
        return byPrimaryGroup?[relativeID] ?? []
    }
}
