/// Decodes the base64 of `attr::` values (RFC 4648 alphabet, padded), which LDIF writers use for DNs and values
/// with non-ASCII bytes, leading spaces or a leading colon.
enum LDIFBase64 {
    /// Appends the decoded bytes of `text` to `output`. Spaces around the text are ignored; spaces inside are not.
    /// - Returns: false when `text` is not valid base64 (a wrong length, a byte outside the alphabet, misplaced
    ///   padding); `output` then holds partial bytes.
    static func decode(_ text: UnsafeBufferPointer<UInt8>, into output: inout [UInt8]) -> Bool {
        var start = 0
        var end = text.count
        while start < end, text[start] == ASCIIByte.space { start += 1 }
        while end > start, text[end - 1] == ASCIIByte.space { end -= 1 }
        let length = end - start
        guard length % 4 == 0 else { return false }
        guard length > 0 else { return true }
        var padding = 0
        if text[end - 1] == Self.pad { padding += 1 }
        if text[end - 2] == Self.pad { padding += 1 }
        output.reserveCapacity(output.count + length / 4 * 3)
        var index = start
        while index < end {
            let lastQuad = index + 4 == end
            let a = table[Int(text[index])]
            let b = table[Int(text[index + 1])]
            let c = lastQuad && padding == 2 ? 0 : table[Int(text[index + 2])]
            let d = lastQuad && padding >= 1 ? 0 : table[Int(text[index + 3])]
            guard a | b | c | d < 64 else { return false }
            output.append(a << 2 | b >> 4)
            if !lastQuad || padding < 2 { output.append(b << 4 | c >> 2) }
            if !lastQuad || padding < 1 { output.append(c << 6 | d) }
            index += 4
        }
        return true
    }

    private static let pad = UInt8(ascii: "=")

    /// Maps a byte to its 6-bit value, or to 0xFF when it is not in the alphabet (padding included, so a `=`
    /// anywhere but the end fails).
    private static let table: [UInt8] = {
        var table = [UInt8](repeating: 0xFF, count: 256)
        let alphabet = Array("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/".utf8)
        for (value, byte) in alphabet.enumerated() { table[Int(byte)] = UInt8(value) }
        return table
    }()
}
