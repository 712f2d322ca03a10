package import Foundation

/// An LDIF export of a directory (RFC 2849, as `slapcat`, `ldapsearch -LLL`, 389-ds `db2ldif` and AD `ldifde`
/// write it) whose mapped groups say who holds which seat.
///
/// The file is parsed chunk by chunk as it is read; only group members and the identities of user entries are
/// kept, never whole records.
package struct LDIFSource: SeatSource {
    /// The file and the limits every source has.
    package let settings: SourceSettings
    /// How groups map onto customers and feature codes.
    package let options: LDIFOptions

    package init(settings: SourceSettings, options: LDIFOptions) {
        self.settings = settings
        self.options = options
    }

    /// Reads the export whole and resolves its mapped groups into seats.
    /// - Parameter now: the time `max_age` is measured against.
    /// - Returns: per customer of a mapped group, the users holding the group's feature code, with the group's
    ///   record as provenance; groups no mapping names as ``SourceReading/unmappedRoles``; findings such as
    ///   unresolved `memberUid` values and skipped disabled users as ``SourceReading/notes``.
    /// - Throws: ``SourceFileError`` for an unreadable, changing or stale file, and ``SourceFileError/empty(file:)``
    ///   for a file without entries unless `allowEmpty`; ``LDIFError`` for anything malformed, and for entries
    ///   without a mapped group unless `allowEmpty`.
    package func read(now: Date) throws -> SourceReading {
        let file = settings.path
        var splitter = LDIFLineSplitter(file: file)
        var reader = LDIFRecordReader(file: file, options: options)
        do {
            try SourceInput(settings: settings).stream(now: now) { chunk in try splitter.feed(chunk, into: &reader) }
            try splitter.finish(into: &reader)
        } catch {
            throw reader.firstError(readingStoppedAt: error)
        }
        let directory = try reader.finish()
        // The DN table's index and the arrays' spare room, dropped as reading ends, were allocated on the second
        // thread: without this they stayed resident through resolution (many-groups benchmark: peak 113 -> 96 MiB).
        FreedHeap.release()
        var resolver = LDIFGroupResolver(file: file, options: options)
        resolver.keepsExplanations = settings.keepsExplanations
        return try resolver.resolve(
            directory,
            source: settings.name,
            allowEmpty: settings.allowEmpty
        )
    }
}
