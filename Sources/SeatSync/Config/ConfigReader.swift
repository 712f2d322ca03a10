import SeatSources
import Yams

/// Turns the composed YAML tree of one config file into a ``SeatSyncConfig`` by the keys of ``ConfigTable``.
struct ConfigReader {
    let file: String

    func read(_ root: Node) throws(ConfigError) -> SeatSyncConfig {
        var config = SeatSyncConfig(file: file)
        try ConfigTable.root.read(ConfigNode(node: root, path: "", file: file), into: &config)
        config.merge.mappedFeatures = Set(config.sourceDefinitions.flatMap(\.mappedFeatures))
        return config
    }
}
