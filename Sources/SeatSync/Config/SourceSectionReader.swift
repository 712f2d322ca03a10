import Foundation
import SeatSources
import TextRules
import Yams

/// Reads the `sources:` section of the config file: a list of entries, each with the keys every source has and
/// the keys of its `type`.
///
/// Not a ``ConfigTable`` of independent keys: `path` and `command` exclude each other and bring their own keys,
/// `type` decides which other keys are allowed and what they build, and several keys are required per type.
enum SourceSectionReader {
    static let commonKeys = ["name", "type", "path", "max_age", "allow_empty"] + commandKeys
    /// The keys of a source read from a command's output instead of a file.
    static let commandKeys = ["command", "timeout", "max_output", "env"]
    static let typeKeys: [(type: String, keys: [String])] = [
        ("csv", ["columns", "delimiter", "role_separator", "roles", "customers"]),
        ("ldif", ["customer", "groups", "user_id_attribute"]),
        ("json", ["roles"]),
    ]
    static var allKeys: [String] {
        var keys = commonKeys
        for (_, typeKeys) in typeKeys { keys += typeKeys.filter { !keys.contains($0) } }
        return keys
    }

    /// Reads the list of sources: at least one, each with a name no other source has.
    static func read(_ node: ConfigNode) throws(ConfigError) -> [SourceDefinition] {
        guard case .sequence(let items) = node.node else {
            throw node.error("expected a list of sources, found \(node.kind)")
        }
        guard !items.isEmpty else { throw node.error("at least one source is required") }
        var definitions: [SourceDefinition] = []
        var names: [String: Int] = [:]
        for (index, item) in items.enumerated() {
            let sourceNode = ConfigNode(node: item, path: "sources[\(index)]", file: node.file)
            let definition = try entry(sourceNode)
            let name = definition.settings.name
            if let first = names[name] {
                let nameNode = try sourceNode.mapping(known: allKeys).required("name")
                throw nameNode.error(
                    "\"\(name)\" is already the name of sources[\(first)]; names must be unique"
                )
            }
            names[name] = index
            definitions.append(definition)
        }
        return definitions
    }

    /// Reads one entry of the list.
    private static func entry(_ node: ConfigNode) throws(ConfigError) -> SourceDefinition {
        let map = try node.mapping(
            known: Self.allKeys,
            expected: "a source (a mapping with name, type and path)"
        )
        let typeNode = try map.required("type", hint: "csv, ldif or json")
        let type = try typeNode.string()
        guard let own = Self.typeKeys.first(where: { $0.type == type }) else {
            let known = Self.typeKeys.map(\.type)
            let hint =
                KeySuggestion.closest(to: type, among: known).map { "; did you mean \"\($0)\"?" } ?? ""
            throw typeNode.error(
                "unknown source type \"\(type)\" (known: \(known.joined(separator: ", ")))\(hint)"
            )
        }
        for entry in map.entries
        where !Self.commonKeys.contains(entry.key) && !own.keys.contains(entry.key) {
            let owners = Self.typeKeys.filter { $0.keys.contains(entry.key) }.map(\.type).joined(
                separator: " and "
            )
            throw ConfigError.invalid(
                file: node.file,
                line: entry.keyLine,
                key: entry.value.path,
                problem: "not a key of \(type) sources (it belongs to \(owners) sources)"
            )
        }

        let settings = try settings(map, node: node)
        switch type {
        case "csv": return SourceDefinition(settings: settings, format: .csv(try csvOptions(map)))
        case "ldif":
            return SourceDefinition(settings: settings, format: .ldif(try ldifOptions(map, node: node)))
        default:
            return SourceDefinition(
                settings: settings,
                format: .json(SnapshotOptions(roles: try roles(map["roles"])))
            )
        }
    }

    /// The keys every source has: exactly one of `path` and `command`, and the keys that go with it.
    private static func settings(_ map: ConfigMapping, node: ConfigNode) throws(ConfigError) -> SourceSettings {
        let name = try map.required("name").name()
        let allowEmpty = try map["allow_empty"].map { node throws(ConfigError) in try node.bool() } ?? false
        guard let command = map["command"] else {
            // Without a command, path is required: a source missing both is told what a file source needs.
            let path = try map.required("path")
            for key in Self.commandKeys {
                if let extra = map[key] {
                    throw extra.error("only a command source takes \(key); this source reads path")
                }
            }
            return SourceSettings(
                name: name,
                path: try path.resolvedPath(),
                maxAge: try map["max_age"].map { node throws(ConfigError) in try node.duration(positive: true) },
                allowEmpty: allowEmpty
            )
        }
        if map["path"] != nil {
            throw node.error("path and command are exclusive: a source reads a file or a command's output, not both")
        }
        if let maxAge = map["max_age"] {
            throw maxAge.error("max_age does not apply to a command source: its output is always fresh")
        }
        return SourceSettings(name: name, command: try sourceCommand(command, map: map), allowEmpty: allowEmpty)
    }

    private static func sourceCommand(_ node: ConfigNode, map: ConfigMapping) throws(ConfigError) -> SourceCommand {
        let arguments = try node.stringList()
        guard let program = arguments.first, !program.isEmpty else {
            throw node.error(
                "expected the program and its arguments, such as [/usr/bin/ldapsearch, -LLL], found an empty list"
            )
        }
        var environment: [String: String] = [:]
        if let envNode = map["env"] {
            for (key, value, entry) in try envNode.stringMap(expected: "a mapping of variable names to values") {
                guard !key.isEmpty, !key.contains("="), !key.contains("\0"), !value.contains("\0") else {
                    throw entry.error("\"\(key)\" is not an environment variable name")
                }
                environment[key] = value
            }
        }
        return SourceCommand(
            arguments: arguments,
            directory: node.folder.isEmpty ? FileManager.default.currentDirectoryPath : node.folder,
            environment: environment,
            timeout: try map["timeout"].map { node throws(ConfigError) in try node.duration(positive: true) }
                ?? SourceCommand.defaultTimeout,
            maxOutput: try map["max_output"].map { node throws(ConfigError) in try byteSize(node) }
                ?? SourceCommand.defaultMaxOutput
        )
    }

    private static func byteSize(_ node: ConfigNode) throws(ConfigError) -> Int {
        guard let bytes = ByteSizeText.parse(try node.string()), bytes > 0 else {
            throw node.error("expected a size above 0 such as 1GiB, 512MiB, 64KiB or 4096 (bytes), found \(node.kind)")
        }
        return bytes
    }

    private static func csvOptions(_ map: ConfigMapping) throws(ConfigError) -> CSVOptions {
        CSVOptions(
            columns: try map["columns"].map { node throws(ConfigError) in try columns(node) }
                ?? .users(customer: "customer", user: "user", role: "role"),
            delimiter: try map["delimiter"].map { node throws(ConfigError) in try delimiter(node) },
            roleSeparator: try map["role_separator"].map { node throws(ConfigError) in
                let separator = try node.string()
                guard !separator.isEmpty else {
                    throw node.error("expected one or more characters, found nothing")
                }
                return separator
            },
            roles: try roles(map["roles"]),
            customers: try map["customers"].map { node throws(ConfigError) in
                try mapping(node, expected: "a mapping of source customer values to Commet customer ids")
            }
        )
    }

    private static func columns(_ node: ConfigNode) throws(ConfigError) -> CSVColumns {
        let expected = "{customer, user, role} or {customer, feature, count} header names"
        let map = try node.mapping(
            known: ["customer", "user", "role", "feature", "count"],
            expected: expected
        )
        let keys = Set(map.entries.map(\.key))
        func header(_ key: String) throws(ConfigError) -> String {
            try map.required(key).name("a header name")
        }
        if keys == ["customer", "user", "role"] {
            return .users(
                customer: try header("customer"),
                user: try header("user"),
                role: try header("role")
            )
        }
        if keys == ["customer", "feature", "count"] {
            return .counts(
                customer: try header("customer"),
                feature: try header("feature"),
                count: try header("count")
            )
        }
        throw node.error("expected \(expected)")
    }

    private static func delimiter(_ node: ConfigNode) throws(ConfigError) -> UInt8 {
        let text = try node.string()
        if text.lowercased() == "tab" { return UInt8(ascii: "\t") }
        guard text.utf8.count == 1, let byte = text.utf8.first, byte < 0x80,
            !["\"", "\r", "\n", " "].contains(Character(Unicode.Scalar(byte)))
        else {
            throw node.error("expected one character such as \",\" \";\" \"|\" or tab, found \"\(text)\"")
        }
        return byte
    }

    private static func ldifOptions(
        _ map: ConfigMapping,
        node: ConfigNode
    ) throws(ConfigError)
        -> LDIFOptions
    {
        let expected = "{rdn: NAME} or {attribute: NAME}"
        let customerNode = try map.required("customer", hint: "expected \(expected)")
        let customerMap = try customerNode.mapping(known: ["rdn", "attribute"], expected: expected)
        let rule: LDIFCustomerRule
        switch (customerMap["rdn"], customerMap["attribute"]) {
        case (let rdn?, nil): rule = .rdn(try rdn.name("an attribute type"))
        case (nil, let attribute?): rule = .attribute(try attribute.name("an attribute name"))
        default: throw customerNode.error("expected \(expected)")
        }
        let groupsNode = try map.required("groups", hint: "group cn -> feature code")
        let groups = try featureMap(groupsNode, expected: "a mapping of group cn to feature code")
        guard !groups.isEmpty else { throw groupsNode.error("at least one group must be mapped") }
        return LDIFOptions(
            customer: rule,
            groups: groups,
            userIDAttribute: try map["user_id_attribute"].map { node throws(ConfigError) in
                try node.name("an attribute name")
            } ?? "uid"
        )
    }

    private static func roles(_ node: ConfigNode?) throws(ConfigError) -> [String: String]? {
        guard let node else { return nil }
        return try featureMap(node, expected: "a mapping of role value to feature code")
    }

    /// A map whose values are Commet feature codes: no blanks, no whitespace inside a code.
    private static func featureMap(
        _ node: ConfigNode,
        expected: String
    ) throws(ConfigError) -> [String:
        String]
    {
        let map = try mapping(node, expected: expected)
        for (_, code) in map where code.contains(where: { $0.isWhitespace }) {
            throw node.error("feature code \"\(code)\" contains whitespace")
        }
        return map
    }

    /// A map from source values to ids. Source values are matched case-insensitively after trimming, so two
    /// keys that differ only in case or spaces would make the result depend on dictionary order.
    private static func mapping(_ node: ConfigNode, expected: String) throws(ConfigError) -> [String: String] {
        var result: [String: String] = [:]
        var seen: [String: String] = [:]
        for (key, value, entry) in try node.stringMap(expected: expected) {
            let trimmedKey = key.trimmingASCIIWhitespace()
            let trimmedValue = value.trimmingASCIIWhitespace()
            guard !trimmedKey.isEmpty else { throw node.error("a key is empty") }
            guard !trimmedValue.isEmpty else { throw entry.error("expected a value, found an empty one") }
            if let earlier = seen.updateValue(key, forKey: trimmedKey.lowercased()) {
                throw entry.error(
                    "\"\(key)\" and \"\(earlier)\" are the same name (names compare case-insensitively)"
                )
            }
            result[trimmedKey] = trimmedValue
        }
        return result
    }
}
