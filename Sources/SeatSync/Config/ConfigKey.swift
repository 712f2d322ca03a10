import CommetSeats

/// One key of a config section: its YAML name, how its value is read and checked, and the field it lands in.
///
/// The default is the field's value before the key is read, so each settings type owns its defaults.
struct ConfigKey<Settings> {
    let name: String
    /// Reads the key's value and writes it into the settings.
    let read: (ConfigNode, inout Settings) throws(ConfigError) -> Void
    /// For a `commet` key the client takes: copies the value from the settings into the client's configuration.
    let copyToClient: ((Settings, inout CommetConfiguration) -> Void)?
    /// The key only paces or times requests: it is left out of the config's fingerprint, so changing it keeps what
    /// earlier passes confirmed.
    private(set) var paces = false

    init<Value>(_ name: String, _ rule: ValueRule<Value>, _ field: WritableKeyPath<Settings, Value>) {
        self.name = name
        read = { node, settings throws(ConfigError) in settings[keyPath: field] = try rule.read(node) }
        copyToClient = nil
    }

    init<Value>(_ name: String, _ rule: ValueRule<Value>, _ field: WritableKeyPath<Settings, Value?>) {
        self.init(name, rule.optional, field)
    }

    /// A key whose value is a mapping with keys of its own, read into the field's current value.
    init<Section>(_ name: String, _ section: ConfigSection<Section>, _ field: WritableKeyPath<Settings, Section>) {
        self.name = name
        read = { node, settings throws(ConfigError) in try section.read(node, into: &settings[keyPath: field]) }
        copyToClient = nil
    }

    init<Value>(
        _ name: String,
        _ rule: ValueRule<Value>,
        _ field: WritableKeyPath<Settings, Value>,
        client: WritableKeyPath<CommetConfiguration, Value>
    ) {
        self.name = name
        read = { node, settings throws(ConfigError) in settings[keyPath: field] = try rule.read(node) }
        copyToClient = { settings, configuration in configuration[keyPath: client] = settings[keyPath: field] }
    }

    /// A key whose value is always set in the settings but optional in the client's configuration.
    init<Value>(
        _ name: String,
        _ rule: ValueRule<Value>,
        _ field: WritableKeyPath<Settings, Value>,
        client: WritableKeyPath<CommetConfiguration, Value?>
    ) {
        self.name = name
        read = { node, settings throws(ConfigError) in settings[keyPath: field] = try rule.read(node) }
        copyToClient = { settings, configuration in configuration[keyPath: client] = settings[keyPath: field] }
    }

    /// This key, marked as one that only paces or times requests.
    func pacing() -> Self {
        var key = self
        key.paces = true
        return key
    }
}
