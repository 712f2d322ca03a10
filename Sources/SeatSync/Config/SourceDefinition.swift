package import SeatSources

/// One entry of `sources:` as configured, able to build its reader.
///
/// Kept next to the built sources because a JSON snapshot source needs the last sequence applied from it,
/// which only the state directory knows, so each pass builds its sources afresh.
package struct SourceDefinition: Sendable {
    /// The format-specific part of a source entry.
    package enum Format: Sendable {
        case csv(CSVOptions)
        case ldif(LDIFOptions)
        case json(SnapshotOptions)
    }

    package var settings: SourceSettings
    package var format: Format

    package init(settings: SourceSettings, format: Format) {
        self.settings = settings
        self.format = format
    }

    /// The `type:` value of the entry: `csv`, `ldif` or `json`.
    package var type: String {
        switch format {
        case .csv: return "csv"
        case .ldif: return "ldif"
        case .json: return "json"
        }
    }

    /// The feature codes this entry's mappings name; each is managed even where no source grants it.
    package var mappedFeatures: Set<String> {
        switch format {
        case .csv(let options): return Set(options.roles?.values ?? [:].values)
        case .ldif(let options): return Set(options.groups.values)
        case .json(let options): return Set(options.roles?.values ?? [:].values)
        }
    }

    /// Builds the reader.
    /// - Parameter lastAppliedSequence: for a JSON snapshot, the last sequence applied from it; a lower one is a
    ///   replay and is refused. Ignored by the other formats.
    package func makeSource(lastAppliedSequence: Int?) -> any SeatSource {
        switch format {
        case .csv(let options):
            return CSVSource(settings: settings, options: options)
        case .ldif(let options):
            return LDIFSource(settings: settings, options: options)
        case .json(let options):
            return SnapshotSource(
                settings: settings,
                options: options,
                lastAppliedSequence: lastAppliedSequence
            )
        }
    }
}
