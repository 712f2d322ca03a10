package import Foundation

/// The versioned seat-snapshot JSON file that a webhook receiver keeps up to date (README, "How a pass works"; docs/design.md).
package struct SnapshotSource: SeatSource {
    package let settings: SourceSettings
    package let options: SnapshotOptions
    /// The `sequence` of the last snapshot whose plan was applied; a lower one is a replay and is refused.
    package let lastAppliedSequence: Int?

    package init(settings: SourceSettings, options: SnapshotOptions, lastAppliedSequence: Int?) {
        self.settings = settings
        self.options = options
        self.lastAppliedSequence = lastAppliedSequence
    }

    /// Reads the file whole and returns what it says, or fails whole.
    /// - Parameter now: the time `max_age` is measured against.
    /// - Returns: users (active only) or counts per customer, with the snapshot's `sequence` and `generated_at`.
    /// - Throws: ``SnapshotError`` naming file, line and JSON path; ``SourceFileError`` for a file that is
    ///   missing, stale, changed while read, or lists no customers without `allowEmpty`.
    package func read(now: Date) throws -> SourceReading {
        try read(now: now, splitting: true)
    }

    /// ``read(now:)``, with `splitting`: whether the customers from the middle of the text on may be parsed and
    /// decoded on another thread (``JSONArrayTail``); the reading, or the error, is the same either way.
    func read(now: Date, splitting: Bool) throws -> SourceReading {
        try SourceInput(settings: settings).withText(now: now) { text in try read(text, splitting: splitting) }
    }

    private func read(_ text: SourceText, splitting: Bool) throws -> SourceReading {
        let file = settings.path
        let customers = SnapshotCustomerStream(
            file: file,
            roles: ValueMapping(options.roles),
            keepsExplanations: settings.keepsExplanations
        )
        let tape: JSONTape
        do {
            tape = try JSONParser.parse(text, splitting: splitting, streaming: (key: "customers", consumer: customers))
        } catch .truncated(let line) {
            throw SnapshotError.truncated(file: file, line: line)
        } catch .malformed(let line, let column, let problem) {
            throw SnapshotError.malformed(file: file, line: line, column: column, problem: problem)
        } catch .notUTF8(let line, let column) {
            throw SnapshotError.notUTF8(file: file, line: line, column: column)
        }
        return try tape.withView { tape in
            try SnapshotDecoder(tape: tape, file: file, keepsExplanations: settings.keepsExplanations).decode(
                source: settings.name,
                lastAppliedSequence: lastAppliedSequence,
                allowEmpty: settings.allowEmpty,
                customers: customers
            )
        }
    }
}
