package import Foundation

/// A CSV export read as one source: one row per user, or pre-counted rows (see ``CSVColumns``).
package struct CSVSource: SeatSource {
    package let settings: SourceSettings
    package let options: CSVOptions

    package init(settings: SourceSettings, options: CSVOptions) {
        self.settings = settings
        self.options = options
    }

    /// Streams the file and returns what it says, or fails whole.
    /// - Parameter now: the time `max_age` is measured against.
    /// - Returns: users and their feature codes (or counts) per customer, with the line of each fact.
    /// - Throws: ``CSVError`` naming file, line and column; ``SourceFileError`` for a file that is missing,
    ///   stale, changed while read, or holds no rows without `allowEmpty`.
    package func read(now: Date) throws -> SourceReading {
        var tokenizer = CSVTokenizer(file: settings.path, delimiter: options.delimiter)
        var builder = CSVReadingBuilder(source: settings.name, file: settings.path, options: options)
        builder.keepsSkippedUsers = settings.keepsExplanations
        do {
            try SourceInput(settings: settings).stream(now: now) { chunk in
                try tokenizer.feed(chunk) { try builder.take($0) }
            }
            try tokenizer.finish { try builder.take($0) }
        } catch {
            builder.abandon()
            throw error
        }
        return try builder.finish(allowEmpty: settings.allowEmpty)
    }
}
