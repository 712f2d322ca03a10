extension StringProtocol {
    /// The text without leading and trailing ASCII whitespace.
    var trimmingSpaces: String {
        let isSpace: (Character) -> Bool = { $0.isASCII && $0.isWhitespace }
        guard let first = firstIndex(where: { !isSpace($0) }), let last = lastIndex(where: { !isSpace($0) }) else {
            return ""
        }
        return String(self[first...last])
    }
}

extension Character {
    var isASCIIDigit: Bool { isASCII && isNumber }
}
