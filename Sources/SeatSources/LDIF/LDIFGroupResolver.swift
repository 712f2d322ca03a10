/// Turns the groups of an export into seats: every group whose name the configuration maps grants its feature code,
/// in its customer, to every user it holds, directly or through nested groups.
///
/// A user is one identity across group shapes: a `member` DN, a `uniqueMember` DN, a `memberUid` and an AD primary
/// group all resolve to the same user entry, and the entry's user id attribute is what is counted. `memberOf` is
/// never read: servers may already have made it transitive, and expanding it again would count twice.
struct LDIFGroupResolver {
    let file: String
    let options: LDIFOptions
    /// Whether each grant's provenance names the nested groups it came through (its detail is then the DNs from
    /// the group holding the user up to the mapped group, joined by ` -> `), and disabled members are kept as
    /// ``SourceReading/skippedUsers``: `explain` only.
    var keepsExplanations = false

    /// - Parameters:
    ///   - directory: what ``LDIFRecordReader`` kept of the export.
    ///   - source: the configured source name.
    ///   - allowEmpty: whether an export without a mapped group is a reading with no customers.
    /// - Returns: one customer per mapped group's customer (present even when nobody holds a seat), the groups that
    ///   no mapping names and no mapped group holds as unmapped roles, and notes on what could not be resolved
    ///   and on `groups:` keys that match no group.
    /// - Throws: ``LDIFError`` when a mapped group's customer or feature is unknown or ambiguous, or a `memberUid`
    ///   names several users; without `allowEmpty`, ``SourceFileError/empty(file:)`` for an export without
    ///   entries and ``LDIFError/noMappedGroup(file:line:keys:groups:)`` for one without a mapped group.
    func resolve(_ directory: LDIFDirectory, source: String, allowEmpty: Bool) throws -> SourceReading {
        var reading = SourceReading(source: source, file: file)
        let groups = try LDIFGroupBatches(directory, options: options, file: file)
        var expansion = LDIFGroupExpansion(
            directory: directory,
            file: file,
            idAttribute: options.userIDAttribute,
            keepsExplanations: keepsExplanations
        )
        for batch in groups.batches {
            var facts = reading.customers.removeValue(forKey: batch.key.customer) ?? CustomerFacts()
            // Room for the members the batch's groups list themselves: nested groups may add more, and a user
            // listed twice, or already granted by another batch, takes no more room.
            facts.users.reserveCapacity(
                batch.roots.reduce(0) {
                    $0 + (directory.position(of: $1.id).map { directory.entries[$0].members.count } ?? 0)
                }
            )
            try expansion.expand(batch.roots, feature: batch.key.feature, customer: batch.key.customer, into: &facts)
            reading.customers[batch.key.customer] = facts
        }
        // A group nested into a mapped one is not ignored, so it is no unmapped role.
        for group in groups.unmapped where !expansion.reached.contains(group.id) {
            reading.unmappedRoles[group.name, default: 0] += 1
        }
        let unmatched = groups.unmatchedKeys(of: options)
        if reading.customers.isEmpty && !allowEmpty {
            guard let line = groups.firstGroupLine ?? directory.firstEntryLine else {
                throw SourceFileError.empty(file: file)
            }
            throw LDIFError.noMappedGroup(
                file: file,
                line: line,
                keys: unmatched,
                groups: Array(groups.groupNames.prefix(SourceNote.sampleSize))
            )
        }
        var notes: [SourceNote] = []
        if !unmatched.isEmpty {
            let keys = unmatched.map { key in
                SourceNote.Item(
                    key,
                    alternatives: KeySuggestion.closest(to: key, among: groups.groupNames).map { [$0] } ?? []
                )
            }
            notes.append(SourceNote(.unmatchedGroupKeys, file: file, total: keys.count, items: keys))
        }
        if !directory.conflicts.isEmpty {
            notes.append(
                SourceNote(
                    .replicationConflicts,
                    file: file,
                    total: directory.conflicts.count,
                    items: directory.conflicts
                )
            )
        }
        reading.skippedUsers = expansion.skipped
        notes += expansion.findings.sharedUserIDs(in: directory)
        reading.notes = notes + expansion.findings.notes(in: directory) + groups.spellings.notes(file: file)
        return reading
    }
}
