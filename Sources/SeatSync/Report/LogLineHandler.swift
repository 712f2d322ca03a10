package import Foundation
package import Logging

/// How log lines are written.
package enum LogFormat: String, Sendable, CaseIterable {
    /// `ts=... level=info msg="pass started" customer=acme`: easy to read and to grep.
    case logfmt
    /// One JSON object per line, for log shippers.
    case json
}

/// A swift-log handler that writes one line per event: the time, the level, the message, then the metadata
/// sorted by key so the same event always reads the same.
///
/// Every text that goes into a line (message, metadata keys and values, the error) passes through the sink's
/// redaction first, before any quoting or escaping could hide a secret from it.
///
/// Metadata values are text, except a `.stringConvertible` holding an integer, a finite floating-point number or
/// a `Bool`, which is what `.number(_:)` and `.flag(_:)` make (`Logger.MetadataValue+Typed.swift`): JSON lines
/// write those as JSON numbers and booleans, logfmt writes them bare.
package struct LogLineHandler: LogHandler {
    package var logLevel: Logger.Level
    package var metadata: Logger.Metadata = [:]
    package var metadataProvider: Logger.MetadataProvider?
    private let format: LogFormat
    private let sink: LogSink
    private let clock: @Sendable () -> Date

    /// - Parameters:
    ///   - format: logfmt or JSON lines.
    ///   - level: the lowest level written.
    ///   - sink: where lines go, and which secrets are cut from them.
    ///   - metadataProvider: metadata added to every line, such as the pass id.
    ///   - clock: the time stamped on each line.
    package init(
        format: LogFormat,
        level: Logger.Level,
        sink: LogSink,
        metadataProvider: Logger.MetadataProvider? = nil,
        clock: @escaping @Sendable () -> Date = { Date() }
    ) {
        self.format = format
        self.logLevel = level
        self.sink = sink
        self.metadataProvider = metadataProvider
        self.clock = clock
    }

    package subscript(metadataKey key: String) -> Logger.Metadata.Value? {
        get { metadata[key] }
        set { metadata[key] = newValue }
    }

    package func log(event: LogEvent) {
        var merged = metadata
        if let provided = metadataProvider?.get() { merged.merge(provided) { _, new in new } }
        if let own = event.metadata { merged.merge(own) { _, new in new } }
        var fields: [(String, LogValue)] = [
            ("ts", .text(Self.timestamp(clock()))),
            ("level", .text(event.level.rawValue)),
            ("msg", .text(sink.redacting(event.message.description))),
        ]
        if let error = event.error { fields.append(("error", .text(sink.redacting("\(error)")))) }
        let reserved = Set(fields.map(\.0))
        for key in merged.keys.sorted() {
            let name = sink.redacting(key)
            fields.append((reserved.contains(name) ? "meta.\(name)" : name, LogValue(merged[key]!, sink: sink)))
        }
        switch format {
        case .logfmt: sink.write(line: LogfmtLine.render(fields), level: event.level)
        case .json: sink.write(line: JSONLine.render(fields), level: event.level)
        }
    }

    /// `2026-11-25T12:00:00.123Z`: UTC with milliseconds, the same width on every line.
    static func timestamp(_ date: Date) -> String {
        date.formatted(Date.ISO8601FormatStyle(includingFractionalSeconds: true))
    }
}

/// A metadata value with its secrets already cut out.
enum LogValue {
    case text(String)
    /// A number, spelled as JSON spells numbers.
    case number(String)
    case flag(Bool)
    case list([LogValue])
    case object([(String, LogValue)])

    init(_ value: Logger.MetadataValue, sink: LogSink) {
        switch value {
        case .string(let text): self = .text(sink.redacting(text))
        case .stringConvertible(let value): self = Self.typed(value, sink: sink)
        case .array(let values): self = .list(values.map { LogValue($0, sink: sink) })
        case .dictionary(let entries):
            self = .object(entries.keys.sorted().map { (sink.redacting($0), LogValue(entries[$0]!, sink: sink)) })
        }
    }

    /// A number or a `Bool` keeps its type; anything else, and anything redaction changed, is text.
    private static func typed(_ value: any CustomStringConvertible & Sendable, sink: LogSink) -> LogValue {
        let description = value.description
        let text = sink.redacting(description)
        guard text == description else { return .text(text) }
        switch value {
        case let flag as Bool: return .flag(flag)
        case is any BinaryInteger: return .number(text)
        // JSON has no spelling for infinity or NaN: those stay text.
        case let number as any BinaryFloatingPoint where number.isFinite: return .number(text)
        default: return .text(text)
        }
    }
}

/// logfmt: `key=value` pairs separated by spaces; values quoted when they hold spaces, quotes, `=` or are empty.
enum LogfmtLine {
    static func render(_ fields: [(String, LogValue)]) -> String {
        var parts: [String] = []
        for (key, value) in fields { append(key: key, value: value, to: &parts) }
        return parts.joined(separator: " ")
    }

    /// Nested objects flatten to dotted keys (`request.id=...`); lists render as `[a, b]`.
    private static func append(key: String, value: LogValue, to parts: inout [String]) {
        switch value {
        case .text, .number, .flag, .list: parts.append("\(self.key(key))=\(quoted(flat(value)))")
        case .object(let entries):
            for (name, nested) in entries { append(key: "\(key).\(name)", value: nested, to: &parts) }
        }
    }

    private static func flat(_ value: LogValue) -> String {
        switch value {
        case .text(let text), .number(let text): return text
        case .flag(let flag): return flag ? "true" : "false"
        case .list(let values): return "[" + values.map(flat).joined(separator: ", ") + "]"
        case .object(let entries): return "{" + entries.map { "\($0.0): \(flat($0.1))" }.joined(separator: ", ") + "}"
        }
    }

    /// Keys cannot be quoted in logfmt, so characters that would break the pair become `_`.
    static func key(_ key: String) -> String {
        let cleaned = String(
            key.unicodeScalars.map { scalar -> Character in
                scalar.value <= 0x20 || scalar == "=" || scalar == "\"" || scalar.value == 0x7F
                    ? "_" : Character(scalar)
            }
        )
        return cleaned.isEmpty ? "_" : cleaned
    }

    static func quoted(_ value: String) -> String {
        let needsQuotes =
            value.isEmpty
            || value.unicodeScalars.contains {
                $0.value <= 0x20 || $0 == "=" || $0 == "\"" || $0 == "\\" || $0.value == 0x7F
            }
        guard needsQuotes else { return value }
        // logfmt quotes and escapes a value the way JSON does a string.
        return JSONLine.string(value)
    }
}

/// One JSON object per line, keys in the order given (time, level, message, then sorted metadata).
enum JSONLine {
    static func render(_ fields: [(String, LogValue)]) -> String {
        encode(.object(fields))
    }

    private static func encode(_ value: LogValue) -> String {
        switch value {
        case .text(let text): return string(text)
        case .number(let number): return number
        case .flag(let flag): return flag ? "true" : "false"
        case .list(let values): return "[" + values.map(encode).joined(separator: ",") + "]"
        case .object(let entries):
            return "{" + entries.map { string($0.0) + ":" + encode($0.1) }.joined(separator: ",") + "}"
        }
    }

    static func string(_ text: String) -> String {
        var out = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F || scalar.value == 0x2028 || scalar.value == 0x2029 {
                    out += "\\u" + String(format: "%04x", scalar.value)
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
