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
    /// Whether the batches are expanded in two parts, on two threads (see ``expand(_:of:)``); the reading is the
    /// same either way.
    var splitting = true

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
        let expansion: LDIFGroupExpansion
        (reading.customers, expansion) = try expand(groups, of: directory)
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

    /// What one part of the batches granted, and the first error it met, with its batch.
    private struct ExpandedPart {
        var customers: [String: CustomerFacts] = [:]
        var expansion: LDIFGroupExpansion
        var failure: (batch: Int, error: any Error)?
    }

    /// Expands every batch, in two parts that each hold all the batches of their customers, on two threads:
    /// customers are granted independently, and expanding them on one thread was a third of reading an export of
    /// 1,000,000 members. What the parts found is merged in batch order, and the error thrown is the one of the
    /// first batch that failed, so the reading and the error are those of one walk over the batches in order.
    /// (An earlier try gained nothing while granting a member copied the DN table: both threads then retained and
    /// released the same arrays for every member.)
    private func expand(
        _ groups: LDIFGroupBatches,
        of directory: LDIFDirectory
    ) throws -> ([String: CustomerFacts], LDIFGroupExpansion) {
        let userIndex = LDIFUserIndex(directory)
        // Room for the members the batch's groups list themselves: nested groups may add more, and a user listed
        // twice, or already granted by another batch, takes no more room.
        let sizes = groups.batches.map { batch in
            batch.roots.reduce(0) { size, root in
                size + (directory.position(of: root.id).map { directory.entries[$0].members.count } ?? 0)
            }
        }
        let parts = splitting ? groups.customerHalves(sizes: sizes) : [Array(groups.batches.indices)]
        let expanded = [ExpandedPart](concurrently: parts.count) { part in
            var result = ExpandedPart(
                expansion: LDIFGroupExpansion(
                    directory: directory,
                    userIndex: userIndex,
                    file: file,
                    idAttribute: options.userIDAttribute,
                    keepsExplanations: keepsExplanations
                )
            )
            for number in parts[part] {
                let batch = groups.batches[number]
                var facts = result.customers.removeValue(forKey: batch.key.customer) ?? CustomerFacts()
                facts.users.reserveCapacity(sizes[number])
                do {
                    try result.expansion.expand(batch, number: number, into: &facts)
                } catch {
                    result.failure = (number, error)
                    break
                }
                result.customers[batch.key.customer] = facts
            }
            return result
        }
        if let failure = expanded.compactMap(\.failure).min(by: { $0.batch < $1.batch }) { throw failure.error }
        var customers = expanded[0].customers
        var expansion = expanded[0].expansion
        for part in expanded.dropFirst() {
            customers.merge(part.customers) { mine, _ in mine }
            expansion.merge(part.expansion)
        }
        return (customers, expansion)
    }
}
