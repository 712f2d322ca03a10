/// Which feature codes a group's names map to under the `groups:` keys: the one rule that both decides which
/// groups grant seats (``LDIFGroupBatches``) and which groups' members are worth numbering while the file is read
/// (``LDIFFiling``).
struct LDIFGroupMapping {
    /// Lower-cased `groups:` key to feature code.
    private let features: [String: String]

    init(_ options: LDIFOptions) {
        // Sorted, so that names differing only in case pick the same feature code on every run.
        features = Dictionary(options.groups.sorted { $0.key < $1.key }.map { ($0.key.lowercased(), $0.value) }) {
            first,
            _ in first
        }
    }

    /// The distinct feature codes `names` map to, in the order of the names.
    func features(of names: [String]) -> [String] {
        var mapped: [String] = []
        for name in names {
            if let feature = features[name.lowercased()], !mapped.contains(feature) { mapped.append(feature) }
        }
        return mapped
    }

    /// Whether a mapping may name `group`: false only when its names are known and map to nothing. A DN that does
    /// not parse may name it, so that the error is left for ``LDIFGroupBatches`` to report.
    func mayMap(_ group: LDIFEntry, file: String) -> Bool {
        guard let names = try? Self.names(of: group, file: file) else { return true }
        return !features(of: names).isEmpty
    }

    /// The names a group mapping can match: its `cn` values, and the `cn` of its RDN when the record had none. An
    /// empty name names no group.
    static func names(of group: LDIFEntry, file: String) throws -> [String] {
        guard group.names.isEmpty else { return group.names }
        let parser = try group.parsedDN(file: file)
        return parser.avas.filter { $0.rdn == 0 && parser.bytes($0.type).elementsEqual("cn".utf8) }
            .map { parser.trimmedValue(of: $0) }.filter { !$0.isEmpty }
    }
}
