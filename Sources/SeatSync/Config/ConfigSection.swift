/// The keys of one mapping of the config file, in the order they are listed and read, and the checks that
/// involve more than one of them.
struct ConfigSection<Settings> {
    let keys: [ConfigKey<Settings>]
    /// Runs after every key is read, with the mapping so a problem can be placed on the key that causes it.
    var check: (Settings, ConfigMapping) throws(ConfigError) -> Void = { _, _ throws(ConfigError) in }

    /// The key names an operator may write, for "unknown key" and its "did you mean".
    var known: [String] { keys.map(\.name) }

    /// Reads `node` as a mapping of this section's keys; a key that is absent or set to nothing leaves its field
    /// as it was.
    /// - Returns: the mapping read, for keys a caller checks itself.
    @discardableResult
    func read(_ node: ConfigNode, into settings: inout Settings) throws(ConfigError) -> ConfigMapping {
        let map = try node.mapping(known: known)
        for key in keys {
            if let value = map[key.name] { try key.read(value, &settings) }
        }
        try check(settings, map)
        return map
    }
}
