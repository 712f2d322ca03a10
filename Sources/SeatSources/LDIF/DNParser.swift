/// Why a DN does not parse; the caller adds the file, line and DN.
enum DNSyntaxError: Error, Equatable {
    case malformed(String)
    /// A value, once unescaped, is not UTF-8.
    case invalidUTF8

    var reason: String {
        switch self {
        case .malformed(let reason): return reason
        case .invalidUTF8: return "a value is not valid UTF-8"
        }
    }
}

/// Splits a DN (RFC 4514, plus the RFC 1779 forms old exports still write: `;` between RDNs, spaces around
/// separators, quoted values) into its attribute-value pairs, unescaped.
///
/// The parser keeps its buffers between calls, so parsing a million member DNs does not allocate a million times.
struct DNParser {
    /// One attribute-value pair; `type` and `value` are ranges of ``storage``.
    struct AVA: Equatable {
        /// The 0-based index of the RDN, counted from the entry (leftmost) towards the root.
        var rdn: Int
        /// The attribute type, lower-cased.
        var type: Range<Int>
        /// The value with escapes resolved and the unescaped spaces around it removed.
        var value: Range<Int>
        /// Whether the value was written as `#` and hex (a BER encoding), kept as written, lower-cased.
        var isBER: Bool
    }

    private(set) var storage: [UInt8] = []
    private(set) var avas: [AVA] = []

    /// Parses `dn`, replacing what the previous call left in ``storage`` and ``avas``.
    mutating func parse(_ dn: UnsafeBufferPointer<UInt8>) throws(DNSyntaxError) {
        storage.removeAll(keepingCapacity: true)
        avas.removeAll(keepingCapacity: true)
        var position = skipSpaces(dn, from: 0)
        guard position < dn.count else { return }
        var rdn = 0
        while true {
            position = skipSpaces(dn, from: position)
            let type = try parseType(dn, at: &position)
            position = skipSpaces(dn, from: position)
            let valueStart = storage.count
            let isBER = position < dn.count && dn[position] == ASCIIByte.hash
            if isBER {
                while position < dn.count, !Self.endsValue(dn[position]), dn[position] != ASCIIByte.space {
                    storage.append(ASCIIByte.lower(dn[position]))
                    position += 1
                }
                let hex = storage[(valueStart + 1)...]
                guard !hex.isEmpty, hex.count % 2 == 0, hex.allSatisfy({ Self.hexValue($0) != nil }) else {
                    throw DNSyntaxError.malformed("a value starting with '#' must be hex digit pairs (a BER encoding)")
                }
            } else if position < dn.count, dn[position] == ASCIIByte.quote {
                try parseQuoted(dn, at: &position)
            } else {
                try parseString(dn, at: &position)
            }
            avas.append(AVA(rdn: rdn, type: type, value: valueStart..<storage.count, isBER: isBER))
            position = skipSpaces(dn, from: position)
            guard position < dn.count else { return }
            let separator = dn[position]
            guard Self.endsValue(separator) else {
                throw DNSyntaxError.malformed("unexpected '\(Character(Unicode.Scalar(separator)))' after a value")
            }
            if separator != ASCIIByte.plus { rdn += 1 }
            position += 1
            guard skipSpaces(dn, from: position) < dn.count else {
                throw DNSyntaxError.malformed("ends with a separator and no RDN after it")
            }
        }
    }

    /// The bytes of a range of ``storage``.
    func bytes(_ range: Range<Int>) -> ArraySlice<UInt8> { storage[range] }

    /// The value of `ava` as text without the whitespace around it: escaped whitespace at a value's ends, kept by
    /// the parse, names no group or customer.
    func trimmedValue(of ava: AVA) -> String {
        storage[ava.value].withUnsafeBufferPointer { String(decoding: ASCIIByte.trimmed($0), as: UTF8.self) }
    }

    private mutating func parseType(
        _ dn: UnsafeBufferPointer<UInt8>,
        at position: inout Int
    ) throws(DNSyntaxError)
        -> Range<Int>
    {
        let start = position
        while position < dn.count, dn[position] != ASCIIByte.equals, !Self.endsValue(dn[position]) { position += 1 }
        guard position < dn.count, dn[position] == ASCIIByte.equals else {
            let rdn = String(decoding: dn[start..<position], as: UTF8.self)
            throw DNSyntaxError.malformed("RDN '\(rdn)' has no '='")
        }
        var end = position
        while end > start, dn[end - 1] == ASCIIByte.space { end -= 1 }
        position += 1
        guard Self.isAttributeType(dn[start..<end]) else {
            let type = String(decoding: dn[start..<end], as: UTF8.self)
            throw DNSyntaxError.malformed("'\(type)' is not an attribute type")
        }
        let typeStart = storage.count
        for byte in dn[start..<end] { storage.append(ASCIIByte.lower(byte)) }
        return typeStart..<storage.count
    }

    /// An RFC 4514 string value: ends at an unescaped `,` `;` or `+`; unescaped spaces at its end are not part of it.
    private mutating func parseString(_ dn: UnsafeBufferPointer<UInt8>, at position: inout Int) throws(DNSyntaxError) {
        var significantEnd = storage.count
        while position < dn.count {
            let byte = dn[position]
            if Self.endsValue(byte) { break }
            if byte == ASCIIByte.backslash {
                try appendEscape(dn, at: &position)
                significantEnd = storage.count
                continue
            }
            storage.append(byte)
            position += 1
            if byte != ASCIIByte.space { significantEnd = storage.count }
        }
        storage.removeLast(storage.count - significantEnd)
    }

    /// An RFC 1779 quoted value: `"Sales, EMEA"`.
    private mutating func parseQuoted(_ dn: UnsafeBufferPointer<UInt8>, at position: inout Int) throws(DNSyntaxError) {
        position += 1
        while position < dn.count, dn[position] != ASCIIByte.quote {
            if dn[position] == ASCIIByte.backslash {
                try appendEscape(dn, at: &position)
            } else {
                storage.append(dn[position])
                position += 1
            }
        }
        guard position < dn.count else { throw DNSyntaxError.malformed("unterminated quoted value") }
        position += 1
    }

    /// `\` followed by two hex digits is a byte (`\C4\8D` is "č"); followed by anything else, that character.
    private mutating func appendEscape(_ dn: UnsafeBufferPointer<UInt8>, at position: inout Int) throws(DNSyntaxError) {
        position += 1
        guard position < dn.count else { throw DNSyntaxError.malformed("ends with a lone '\\'") }
        if let high = Self.hexValue(dn[position]) {
            guard position + 1 < dn.count, let low = Self.hexValue(dn[position + 1]) else {
                throw DNSyntaxError.malformed("'\\' is followed by a single hex digit")
            }
            storage.append(high << 4 | low)
            position += 2
        } else {
            guard Self.isEscapable(dn[position]) else {
                throw DNSyntaxError.malformed(
                    "'\\' must be followed by a special character or two hex digits"
                )
            }
            storage.append(dn[position])
            position += 1
        }
    }

    private func skipSpaces(_ dn: UnsafeBufferPointer<UInt8>, from start: Int) -> Int {
        var position = start
        while position < dn.count, dn[position] == ASCIIByte.space { position += 1 }
        return position
    }

    static func endsValue(_ byte: UInt8) -> Bool {
        byte == ASCIIByte.comma || byte == ASCIIByte.plus || byte == ASCIIByte.semicolon
    }

    /// RFC 4514 `attributeType`: a descriptor (a letter, then letters, digits and hyphens: `cn`, `sAMAccountName`)
    /// or a numeric OID (digits separated by single dots: `2.5.4.3`).
    static func isAttributeType<Bytes: Collection<UInt8>>(_ type: Bytes) -> Bool {
        guard let first = type.first else { return false }
        if isDigit(first) {
            var previousWasDot = true
            for byte in type {
                if byte == ASCIIByte.dot {
                    if previousWasDot { return false }
                    previousWasDot = true
                } else if isDigit(byte) {
                    previousWasDot = false
                } else {
                    return false
                }
            }
            return !previousWasDot
        }
        guard isLetter(first) else { return false }
        return type.allSatisfy { isLetter($0) || isDigit($0) || $0 == ASCIIByte.hyphen }
    }

    /// The characters RFC 4514 lets `\\` escape: `"` `+` `,` `;` `<` `>` space `#` `=` and `\\` itself.
    private static func isEscapable(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x22, 0x2B, 0x2C, 0x3B, 0x3C, 0x3E, 0x20, 0x23, 0x3D, 0x5C: return true
        default: return false
        }
    }

    private static func isDigit(_ byte: UInt8) -> Bool { byte &- 0x30 < 10 }

    private static func isLetter(_ byte: UInt8) -> Bool { ASCIIByte.lower(byte) &- 0x61 < 26 }

    private static func hexValue(_ byte: UInt8) -> UInt8? {
        switch byte {
        case 0x30...0x39: return byte - 0x30
        case 0x41...0x46: return byte - 0x41 + 10
        case 0x61...0x66: return byte - 0x61 + 10
        default: return nil
        }
    }
}
