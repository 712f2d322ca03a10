import Foundation
import SeatSources
import TextRules
import Yams

/// A YAML node together with where it sits: the config file, its key path and its line, so that every
/// complaint about a value can name all three.
struct ConfigNode {
    let node: Node
    /// The key path as the operator would write it: `commet.timeout`, `sources[1].customer`.
    let path: String
    let file: String

    var line: Int { node.mark?.line ?? 1 }

    /// The folder relative paths in the file are resolved against: the one that holds the config file.
    var folder: String { (file as NSString).deletingLastPathComponent }

    func error(_ problem: String) -> ConfigError {
        .invalid(file: file, line: line, key: path, problem: problem)
    }

    /// `key:` with nothing after it, `~` or `null`: YAML's way of leaving a value unset.
    var isNull: Bool {
        guard case .scalar(let scalar) = node, scalar.style == .plain || scalar.style == .any else { return false }
        return ["", "~", "null", "Null", "NULL"].contains(scalar.string)
    }

    func child(_ key: String, _ node: Node) -> ConfigNode {
        ConfigNode(node: node, path: path.isEmpty ? key : "\(path).\(key)", file: file)
    }

    /// Reads this node as a mapping whose keys must all be in `known`.
    /// - Throws: ``ConfigError/invalid(file:line:key:problem:)`` for a non-mapping or an unknown key, with a
    ///   "did you mean" when a known key is close; a billing config must not silently ignore a typo.
    func mapping(known: [String], expected: String = "a mapping of keys") throws(ConfigError) -> ConfigMapping {
        guard case .mapping(let mapping) = node else { throw error("expected \(expected), found \(kind)") }
        var entries: [(key: String, keyLine: Int, value: ConfigNode)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let scalar) = keyNode else {
                throw error("keys must be plain names, found \(ConfigNode(node: keyNode, path: path, file: file).kind)")
            }
            let key = scalar.string
            let keyLine = keyNode.mark?.line ?? line
            guard known.contains(key) else {
                let place = path.isEmpty ? key : "\(path).\(key)"
                var problem = "unknown key"
                if let suggestion = KeySuggestion.closest(to: key, among: known) {
                    problem += "; did you mean \"\(suggestion)\"?"
                } else {
                    problem += " (known keys: \(known.joined(separator: ", ")))"
                }
                throw ConfigError.invalid(file: file, line: keyLine, key: place, problem: problem)
            }
            entries.append((key, keyLine, child(key, value)))
        }
        return ConfigMapping(owner: self, known: known, entries: entries)
    }

    /// Reads this node as a mapping from free-form names to strings (role and group maps).
    func stringMap(expected: String) throws(ConfigError) -> [(key: String, value: String, node: ConfigNode)] {
        guard case .mapping(let mapping) = node else { throw error("expected \(expected), found \(kind)") }
        var result: [(key: String, value: String, node: ConfigNode)] = []
        for (keyNode, value) in mapping {
            guard case .scalar(let key) = keyNode else { throw error("expected \(expected), found a non-text key") }
            let entry = child(key.string, value)
            result.append((key.string, try entry.string(), entry))
        }
        return result
    }

    func string() throws(ConfigError) -> String {
        guard case .scalar(let scalar) = node, !isNull else { throw error("expected a text value, found \(kind)") }
        return scalar.string
    }

    /// A string that must not be blank, trimmed of surrounding spaces.
    func name(_ what: String = "a name") throws(ConfigError) -> String {
        let text = try string().trimmingASCIIWhitespace()
        guard !text.isEmpty else { throw error("expected \(what), found an empty value") }
        return text
    }

    /// A path from the file: absolute as written, relative to the config's folder otherwise, so a config and its
    /// inputs can move together.
    /// - Parameter what: what the path names, for the message about an empty value.
    func resolvedPath(_ what: String = "a file path") throws(ConfigError) -> String {
        let path = try name(what)
        guard !path.hasPrefix("/"), !folder.isEmpty else { return path }
        return (folder as NSString).appendingPathComponent(path)
    }

    func int(in range: ClosedRange<Int>) throws(ConfigError) -> Int {
        guard case .scalar(let scalar) = node, let value = Int(scalar.string) else {
            throw error("expected a whole number, found \(kind)")
        }
        guard range.contains(value) else { throw error("must be \(Self.describe(range)), found \(value)") }
        return value
    }

    func double(in range: ClosedRange<Double>) throws(ConfigError) -> Double {
        guard case .scalar(let scalar) = node, let value = Double(scalar.string), value.isFinite else {
            throw error("expected a number, found \(kind)")
        }
        guard range.contains(value) else {
            throw error(
                "must be between \(Self.trim(range.lowerBound)) and \(Self.trim(range.upperBound)), found \(scalar.string)"
            )
        }
        return value
    }

    func bool() throws(ConfigError) -> Bool {
        guard case .scalar = node, let value = node.bool else { throw error("expected true or false, found \(kind)") }
        return value
    }

    /// A duration in the config's notation (`30s`, `1h30m`), optionally required to be above zero.
    func duration(positive: Bool) throws(ConfigError) -> Duration {
        guard case .scalar(let scalar) = node, let value = DurationText.parse(scalar.string) else {
            throw error("expected a duration such as 30s, 5m, 24h or 1h30m, found \(kind)")
        }
        if positive && value <= .zero { throw error("must be longer than 0s") }
        return value
    }

    func stringList() throws(ConfigError) -> [String] {
        guard case .sequence(let sequence) = node else { throw error("expected a list, found \(kind)") }
        var result: [String] = []
        for (index, item) in sequence.enumerated() {
            result.append(try ConfigNode(node: item, path: "\(path)[\(index)]", file: file).name("a value"))
        }
        return result
    }

    /// What the node holds, for messages: `"abc"`, `a list`, `a mapping`, `nothing`.
    var kind: String {
        switch node {
        case .scalar(let scalar): return isNull ? "nothing" : "\"\(scalar.string)\""
        case .mapping: return "a mapping"
        case .sequence: return "a list"
        case .alias: return "an alias"
        }
    }

    private static func describe(_ range: ClosedRange<Int>) -> String {
        if range.upperBound == Int.max { return "at least \(range.lowerBound)" }
        return "between \(range.lowerBound) and \(range.upperBound)"
    }

    private static func trim(_ value: Double) -> String {
        value == value.rounded() ? String(Int(value)) : String(value)
    }
}

/// The checked keys of one mapping, in file order.
struct ConfigMapping {
    let owner: ConfigNode
    /// The keys the mapping may hold; reading any other is a mistake in seat-sync, not in the file.
    let known: [String]
    let entries: [(key: String, keyLine: Int, value: ConfigNode)]

    /// The value under `key`; a key present but set to nothing (`key:`, `~`) counts as absent.
    subscript(_ key: String) -> ConfigNode? {
        assert(known.contains(key), "\(owner.path) reads \"\(key)\", which is not among its known keys")
        guard let entry = entries.first(where: { $0.key == key }), !entry.value.isNull else { return nil }
        return entry.value
    }

    func required(_ key: String, hint: String = "") throws(ConfigError) -> ConfigNode {
        guard let value = self[key] else {
            throw owner.error("missing required key \"\(key)\"" + (hint.isEmpty ? "" : " (\(hint))"))
        }
        return value
    }
}
