/// Checks UTF-8 one byte at a time (Unicode 15, table 3-7), so that a chunk may end mid-character.
struct UTF8Validator {
    /// Continuation bytes still expected.
    private(set) var pending = 0
    /// Where the character being checked starts.
    private(set) var start = TextPosition(line: 1, column: 1)
    private var lower: UInt8 = 0x80
    private var upper: UInt8 = 0xBF

    /// Takes the next byte.
    /// - Returns: `false` when the byte cannot be part of valid UTF-8 here; `start` then names the character.
    mutating func accept(_ byte: UInt8, at position: TextPosition) -> Bool {
        if pending > 0 {
            guard byte >= lower && byte <= upper else { return false }
            pending -= 1
            lower = 0x80
            upper = 0xBF
            return true
        }
        start = position
        switch byte {
        case 0x00...0x7F: return true
        case 0xC2...0xDF: pending = 1
        case 0xE0: (pending, lower) = (2, 0xA0)
        case 0xE1...0xEC, 0xEE...0xEF: pending = 2
        case 0xED: (pending, upper) = (2, 0x9F)
        case 0xF0: (pending, lower) = (3, 0x90)
        case 0xF1...0xF3: pending = 3
        case 0xF4: (pending, upper) = (3, 0x8F)
        default: return false
        }
        return true
    }
}
