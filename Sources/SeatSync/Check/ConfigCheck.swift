package import Foundation
package import SeatSources

/// What `check-config` finds: every source read whole, what each says on its own, and the merged desired seats.
/// Nothing here contacts Commet.
package struct ConfigCheck: Sendable {
    /// One source's reading and the seats it alone would ask for.
    package struct SourceResult: Sendable {
        package var definition: SourceDefinition
        package var reading: SourceReading
        /// The source merged on its own, under the config's merge policy.
        package var seats: DesiredSeats
    }

    package var file: String
    package var sources: [SourceResult]
    /// All sources merged, as a pass would plan from them.
    package var desired: DesiredSeats

    /// Reads every source of `config` and merges them.
    /// - Parameters:
    ///   - config: a loaded config.
    ///   - lastAppliedSequences: per source name, the last snapshot sequence applied, if the state is known.
    ///   - now: the time `max_age` is measured against.
    /// - Throws: ``SourceFailure`` for the first source that cannot be read, or the merge's error.
    package static func run(
        _ config: SeatSyncConfig,
        lastAppliedSequences: [String: Int] = [:],
        now: Date = Date()
    ) throws -> ConfigCheck {
        var results: [SourceResult] = []
        for (definition, source) in zip(
            config.sourceDefinitions,
            config.sources(lastAppliedSequences: lastAppliedSequences)
        ) {
            let reading: SourceReading
            do {
                reading = try source.read(now: now)
            } catch {
                throw SourceFailure(source: definition.settings.name, reason: "\(error)")
            }
            let seats = try SeatMerger.merge([reading], policy: config.merge)
            results.append(SourceResult(definition: definition, reading: reading, seats: seats))
        }
        // One source merged on its own is already the whole merge.
        let desired =
            results.count == 1 ? results[0].seats : try SeatMerger.merge(results.map(\.reading), policy: config.merge)
        return ConfigCheck(file: config.file, sources: results, desired: desired)
    }
}
