/// Why the configuration or the API key cannot be used; each reads as one log line that names where to look.
///
/// None of these ever carries the API key itself, only where it was looked for.
package enum ConfigError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The config file could not be read at all.
    case unreadable(file: String, reason: String)
    /// The file is not well-formed YAML.
    case syntax(file: String, line: Int, column: Int, problem: String)
    /// A key holds a value seat-sync cannot use, is missing, or is not a key seat-sync knows.
    case invalid(file: String, line: Int, key: String, problem: String)
    /// An environment variable that overrides a config key holds a value seat-sync cannot use.
    case invalidEnvironment(variable: String, problem: String)
    /// No API key source was configured or present.
    case missingAPIKey(looked: [String])
    /// An API key source exists but could not be read.
    case unreadableAPIKey(origin: String, reason: String)
    /// An API key source holds something that cannot be a key (empty, or with control characters).
    case unusableAPIKey(origin: String, problem: String)

    package var description: String {
        switch self {
        case .unreadable(let file, let reason):
            return "\(file): cannot read config: \(reason)"
        case .syntax(let file, let line, let column, let problem):
            return "\(file):\(line):\(column): YAML syntax: \(problem)"
        case .invalid(let file, let line, let key, let problem):
            return key.isEmpty ? "\(file):\(line): \(problem)" : "\(file):\(line): \(key): \(problem)"
        case .invalidEnvironment(let variable, let problem):
            return "environment \(variable): \(problem)"
        case .missingAPIKey(let looked):
            return "no Commet API key found (looked in: \(looked.joined(separator: ", ")))"
        case .unreadableAPIKey(let origin, let reason):
            return "cannot read the Commet API key from \(origin): \(reason)"
        case .unusableAPIKey(let origin, let problem):
            return "the Commet API key from \(origin) \(problem)"
        }
    }
}
