/// How seat-sync quotes a piece of input in an error or in text output: at most ``limit`` bytes, with every
/// control character escaped, so a hostile file can neither flood a log line nor forge one.
///
/// The one owner of that rule: readers, the plan renderer and the CLI all call it.
package enum InputExcerpt {
    /// The most bytes of input an error quotes.
    package static let limit = 100

    /// `text` cut to at most ``limit`` bytes (on a character boundary, marked with `…` and the full size) with
    /// control characters escaped.
    package static func quote(_ text: String) -> String {
        cut(text, size: text.utf8.count)
    }

    /// Bytes of input, decoded as UTF-8 with invalid sequences replaced, then quoted as ``quote(_:)-(String)``.
    /// Decodes only a little more than the limit, so a huge value costs nothing to quote.
    package static func quote(_ bytes: some Collection<UInt8>) -> String {
        cut(String(decoding: bytes.prefix(limit + 4), as: UTF8.self), size: bytes.count)
    }

    /// The characters of `text` whose escaped form fits in ``limit`` bytes; `size` is the length of the whole
    /// input. The escapes count: a value of NUL bytes would otherwise quote six bytes for each.
    private static func cut(_ text: String, size: Int) -> String {
        if size <= limit, text.utf8.count <= limit {
            let escaped = escapingControls(text)
            if escaped.utf8.count <= limit { return escaped }
        }
        var kept = ""
        for character in text {
            let shown = escapingControls(String(character))
            guard kept.utf8.count + shown.utf8.count <= limit else { break }
            kept += shown
        }
        return kept + "… (\(size) bytes)"
    }

    /// `text` with C0 controls, DEL and the C1 range written as `\n`, `\r`, `\t` or `\u{…}`: what a line of
    /// output may show of input, so that a value cannot start a new line or move the terminal's cursor.
    package static func escapingControls(_ text: String) -> String {
        guard mayHoldControls(text), text.unicodeScalars.contains(where: isControl) else { return text }
        var out = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            default:
                if isControl(scalar) {
                    out += "\\u{" + String(scalar.value, radix: 16) + "}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out
    }

    /// Whether `text` has a UTF-8 byte that a control character's encoding starts with: C0 and DEL are those bytes,
    /// and every C1 control starts with 0xC2. Checked over the bytes, which is how almost every line of output is
    /// passed, since printing a table of thousands of customers checked each line's scalars.
    private static func mayHoldControls(_ text: String) -> Bool {
        var text = text
        return text.withUTF8 { bytes in bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 } }
    }

    /// Whether a scalar is a control character (C0, DEL, C1): never part of an id, a customer or a role.
    package static func isControl(_ scalar: Unicode.Scalar) -> Bool {
        scalar.value < 0x20 || (0x7F...0x9F).contains(scalar.value)
    }
}
