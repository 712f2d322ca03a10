extension StringProtocol {
    /// The text without leading and trailing ASCII whitespace: space, tab, carriage return and line feed.
    ///
    /// The one trim for every value read from outside. HTTP's optional whitespace around a header value is space
    /// and tab, and curl hands each header line over with its CR LF; exports pad source values with spaces and
    /// tabs, and a CRLF file leaves a CR behind. Other spaces (a no-break space, an ideographic space) are kept:
    /// Commet and the exports take them as part of the value, so trimming them would make two values one.
    package func trimmingASCIIWhitespace() -> String {
        let text = String(self)
        // Most values have nothing to trim, which their first and last bytes tell without breaking the text into
        // characters: a character that starts or ends with a byte other than ASCII whitespace is not trimmed.
        guard let head = text.utf8.first, let tail = text.utf8.last else { return "" }
        if !ASCIIWhitespace.contains(head) && !ASCIIWhitespace.contains(tail) { return text }
        guard let first = text.firstIndex(where: { !isTrimmed($0) }) else { return "" }
        let last = text.lastIndex(where: { !isTrimmed($0) })!
        return String(text[first...last])
    }
}

/// Whether `character` is one `trimmingASCIIWhitespace` cuts; CR LF is one character, whose `asciiValue` is LF's.
private func isTrimmed(_ character: Character) -> Bool {
    character.asciiValue.map(ASCIIWhitespace.contains) ?? false
}

/// The whitespace every reader and the client trim from values: space, tab, carriage return and line feed (why
/// those: ``Swift/StringProtocol/trimmingASCIIWhitespace()``). Byte-level readers ask it byte by byte.
package enum ASCIIWhitespace {
    @inlinable
    package static func contains(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x09 || byte == 0x0D || byte == 0x0A
    }
}
