import Foundation
import SeatSources
import Yams

/// Reads `seat-sync.yaml`, checks every key, and applies the environment overrides.
///
/// Relative paths in the file (source paths, `api_key_file`, `ca_bundle`, `state_dir`, `metrics.textfile`) are
/// resolved against the folder that holds the config file, so a config and its inputs can move together. Paths
/// from the environment are used as given.
package enum ConfigLoader {
    /// The environment variables that override config keys, with the key each overrides.
    package static let overrides: [(variable: String, key: String)] = [
        ("COMMET_BASE_URL", "commet.base_url"),
        ("COMMET_API_KEY_FILE", "commet.api_key_file"),
        ("SEAT_SYNC_STATE_DIR", "state_dir"),
    ]

    /// Loads and validates the config file at `path`.
    /// - Parameters:
    ///   - path: the config file.
    ///   - environment: the process environment; an override variable set to the empty string counts as unset.
    /// - Returns: the validated config, with JSON snapshot sources built without a last applied sequence.
    /// - Throws: ``ConfigError`` naming the file, line and key path of the first problem found.
    package static func load(
        path: String,
        environment: [String: String]
    ) throws(ConfigError)
        -> SeatSyncConfig
    {
        let text = try readText(path)
        let root = try compose(text, file: path)
        var config: SeatSyncConfig
        do {
            config = try ConfigReader(file: path).read(root)
        } catch {
            throw onALineOf(text, error)
        }
        try applyOverrides(to: &config, environment: environment)
        config.fingerprint = fingerprint(of: root, environment: environment)
        return config
    }

    /// A digest of what decides a pass's plan and where it writes: the config less `schedule` and less the
    /// `commet` keys that only pace or time requests, plus the overrides. Changing a rate limit or an interval
    /// keeps what earlier passes confirmed; changing a mapping, the policy or the Commet account does not.
    private static func fingerprint(of root: Node, environment: [String: String]) -> String {
        let pacing = Set(ConfigTable.commet.keys.filter(\.paces).map(\.name))
        // A mapping's tag resolves to `map` with any resolver; naming the basic one keeps Yams from compiling
        // the default one's regular expressions (see `compose`).
        let basicMapping = Tag(.implicit, .basic)
        var kept: [(Node, Node)] = []
        for (key, value) in root.mapping ?? [:] {
            switch key.string {
            case "schedule", "metrics":
                continue
            case "commet":
                let commet = (value.mapping ?? [:]).filter { !pacing.contains($0.key.string ?? "") }
                kept.append((key, .mapping(Node.Mapping(commet.map { ($0.key, $0.value) }, basicMapping))))
            default:
                kept.append((key, value))
            }
        }
        var digest = FNV1a128()
        digest.field((try? Yams.serialize(node: .mapping(Node.Mapping(kept, basicMapping)))) ?? "")
        for (variable, _) in overrides { digest.field(environment[variable] ?? "") }
        return String(digest.hex.prefix(16))
    }

    /// Moves a problem that libyaml placed past the end of the file back onto its last line.
    ///
    /// libyaml starts a new line at the end of a file whose last line has no line break, so a value found
    /// missing there (`---` alone at the end, say) would be reported on a line the file does not have.
    private static func onALineOf(_ text: String, _ error: ConfigError) -> ConfigError {
        guard case .invalid(let file, let line, let key, let problem) = error else { return error }
        let lines = text.split(omittingEmptySubsequences: false) { yamlLineBreaks.contains($0) }.count
        return .invalid(file: file, line: min(line, max(lines, 1)), key: key, problem: problem)
    }

    private static func readText(_ path: String) throws(ConfigError) -> String {
        let bytes: [UInt8]
        do {
            bytes = try SourceFile(settings: SourceSettings(name: "config", path: path)).readAll(
                now: Date()
            )
        } catch let error as SourceFileError {
            switch error {
            case .cannotOpen(_, let reason), .readFailed(_, let reason):
                throw ConfigError.unreadable(file: path, reason: reason)
            case .notARegularFile:
                throw ConfigError.unreadable(file: path, reason: "not a regular file")
            default:
                throw ConfigError.unreadable(file: path, reason: "\(error)")
            }
        } catch {
            throw ConfigError.unreadable(file: path, reason: "\(error)")
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw ConfigError.unreadable(file: path, reason: "not valid UTF-8")
        }
        return text
    }

    private static func compose(_ text: String, file: String) throws(ConfigError) -> Node {
        let node: Node?
        do {
            // The basic resolver tags every plain scalar a string. ConfigNode reads each value by what its key
            // expects (a number, a duration, true or false) and never by a tag, and the default resolver compiles
            // seven ICU regular expressions on first use, about 1.3 ms of every run.
            node = try Yams.compose(yaml: text, .basic)
        } catch let error as YamlError {
            throw syntaxError(error, file: file, text: text)
        } catch {
            throw ConfigError.syntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
        guard let node else {
            throw ConfigError.invalid(file: file, line: 1, key: "", problem: "the file is empty")
        }
        return node
    }

    private static func syntaxError(_ error: YamlError, file: String, text: String) -> ConfigError {
        let lines = text.split(omittingEmptySubsequences: false) { yamlLineBreaks.contains($0) }
        func position(_ mark: Mark) -> (line: Int, column: Int) {
            // libyaml moves to a new line at the end of a file whose last line has no line break, so a problem
            // found at the end would name a line the file does not have: the end of the last line is meant.
            guard mark.line > lines.count, let last = lines.last else { return (mark.line, mark.column) }
            return (lines.count, last.unicodeScalars.count + 1)
        }
        func problem(_ context: YamlError.Context?, _ problem: String) -> String {
            guard let context else { return problem }
            let (line, column) = position(context.mark)
            return "\(problem) (\(context.text) at line \(line), column \(column))"
        }
        switch error {
        case .scanner(let context, let text, let mark, _), .parser(let context, let text, let mark, _),
            .composer(let context, let text, let mark, _):
            let (line, column) = position(mark)
            return .syntax(file: file, line: line, column: column, problem: problem(context, text))
        case .duplicatedKeysInMapping(let duplicates, let context):
            let keys = duplicates.map { "\"\($0)\"" }.joined(separator: ", ")
            let (line, column) = position(context.mark)
            return .syntax(
                file: file,
                line: line,
                column: column,
                problem: "duplicate key \(keys) in one mapping"
            )
        case .reader(let problem, let offset, _, _):
            let prefix = text.prefix(offset ?? 0)
            let line = prefix.count { $0 == "\n" } + 1
            let column =
                prefix.count
                - (prefix.lastIndex(of: "\n").map { prefix.distance(from: prefix.startIndex, to: $0) + 1 }
                    ?? 0) + 1
            return .syntax(file: file, line: line, column: column, problem: problem)
        default:
            return .syntax(file: file, line: 1, column: 1, problem: "\(error)")
        }
    }

    /// What libyaml counts as a line break (YAML 1.1): LF, CR, CRLF, NEL, LS and PS.
    private static let yamlLineBreaks: Set<Character> = ["\n", "\r", "\r\n", "\u{85}", "\u{2028}", "\u{2029}"]

    private static func applyOverrides(
        to config: inout SeatSyncConfig,
        environment: [String: String]
    ) throws(ConfigError) {
        func value(_ variable: String) -> String? {
            guard let value = environment[variable], !value.isEmpty else { return nil }
            return value
        }
        if let url = value("COMMET_BASE_URL") {
            do {
                config.commet.baseURL = try BaseURL.validate(url)
            } catch {
                throw ConfigError.invalidEnvironment(variable: "COMMET_BASE_URL", problem: error.problem)
            }
        }
        if let file = value("COMMET_API_KEY_FILE") { config.commet.apiKeyFile = file }
        if let directory = value("SEAT_SYNC_STATE_DIR") { config.stateDirectory = directory }
    }
}
