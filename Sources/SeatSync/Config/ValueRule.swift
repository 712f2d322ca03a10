import Foundation

/// How the value of a config key is read and checked: a positive duration, a whole number in a range, a path
/// resolved against the config's folder.
struct ValueRule<Value> {
    let read: (ConfigNode) throws(ConfigError) -> Value

    var optional: ValueRule<Value?> {
        ValueRule<Value?> { node throws(ConfigError) in try read(node) }
    }
}

extension ValueRule<Duration> {
    static func duration(positive: Bool) -> Self {
        Self { node throws(ConfigError) in try node.duration(positive: positive) }
    }
}

extension ValueRule<Int> {
    static func int(in range: ClosedRange<Int>) -> Self {
        Self { node throws(ConfigError) in try node.int(in: range) }
    }
}

extension ValueRule<Double> {
    static func number(in range: ClosedRange<Double>) -> Self {
        Self { node throws(ConfigError) in try node.double(in: range) }
    }
}

extension ValueRule<Bool> {
    static var bool: Self { Self { node throws(ConfigError) in try node.bool() } }
}

extension ValueRule<String> {
    /// A path, absolute as written or relative to the config's folder.
    /// - Parameter what: what the path names, for the message about an empty value.
    static func path(_ what: String = "a file path") -> Self {
        Self { node throws(ConfigError) in try node.resolvedPath(what) }
    }
}

extension ValueRule<[String]> {
    /// A list of names, none listed twice.
    static var uniqueNames: Self {
        Self { node throws(ConfigError) in
            let values = try node.stringList()
            var seen: Set<String> = []
            for value in values where !seen.insert(value).inserted {
                throw node.error("\"\(value)\" is listed twice")
            }
            return values
        }
    }
}

extension ValueRule where Value: RawRepresentable<String> & CaseIterable {
    /// One of the enum's raw values, written as is.
    static var oneOf: Self {
        Self { node throws(ConfigError) in
            let text = try node.string()
            guard let value = Value(rawValue: text) else {
                let choices = Value.allCases.map(\.rawValue).joined(separator: " or ")
                throw node.error("expected \(choices), found \"\(text)\"")
            }
            return value
        }
    }
}
