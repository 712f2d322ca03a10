import Synchronization

/// User entries found by what a group may name them by other than their DN: `memberUid` (any `uid` value, or the
/// `uidNumber`) and an AD group's relative id (`primaryGroupID`).
///
/// Each index is built when an expansion first needs it, once for both parts of a resolution (see
/// ``LDIFGroupResolver``): over a directory of a million users it is tens of megabytes, and an export whose mapped
/// groups name no one that way never builds it.
final class LDIFUserIndex: Sendable {
    private let directory: LDIFDirectory
    /// User entries by lower-cased `uid` and by `uidNumber`: DN numbers.
    private let byUID = Mutex<(uid: [String: [Int32]], number: [String: [Int32]])?>(nil)
    /// User entries by AD `primaryGroupID`: DN numbers.
    private let byPrimaryGroup = Mutex<[UInt32: [Int32]]?>(nil)

    init(_ directory: LDIFDirectory) {
        self.directory = directory
    }

    /// The user entries a `memberUid` value names: by `uid` compared case-insensitively, else, for a number, by
    /// `uidNumber`.
    func entries(withUID uid: String) -> [Int32] {
        byUID.withLock { byUID in
            if byUID == nil { byUID = uidIndex() }
            let candidates = byUID!.uid[uid.lowercased()] ?? []
            guard candidates.isEmpty, uid.allSatisfy({ $0.isASCII && $0.isNumber }) else { return candidates }
            return byUID!.number[uid] ?? []
        }
    }

    /// The user entries whose `primaryGroupID` is `relativeID`.
    func entries(withPrimaryGroup relativeID: UInt32) -> [Int32] {
        byPrimaryGroup.withLock { byPrimaryGroup in
            if byPrimaryGroup == nil { byPrimaryGroup = primaryGroupIndex() }
            return byPrimaryGroup![relativeID] ?? []
        }
    }

    /// The user entries; the entry with the empty DN is the root DSE, never a user.
    private var users: some Sequence<(id: Int32, entry: LDIFEntry)> {
        zip(directory.entryIDs, directory.entries).lazy.filter { !$1.isGroup && !$1.dn.isEmpty }.map { ($0, $1) }
    }

    private func uidIndex() -> (uid: [String: [Int32]], number: [String: [Int32]]) {
        var index: (uid: [String: [Int32]], number: [String: [Int32]]) = ([:], [:])
        for (id, entry) in users {
            // Values differing only in case list the entry once; a memberUid naming the root DSE's uid counts by
            // the uid.
            for uid in Set(entry.uids.map { $0.lowercased() }) { index.uid[uid, default: []].append(id) }
            if let number = entry.uidNumber { index.number[number, default: []].append(id) }
        }
        return index
    }

    private func primaryGroupIndex() -> [UInt32: [Int32]] {
        var index: [UInt32: [Int32]] = [:]
        for (id, entry) in users {
            if let group = entry.primaryGroupID { index[group, default: []].append(id) }
        }
        return index
    }
}
