/// Writes DNs in one canonical form, so that two spellings of the same entry compare equal byte for byte:
/// `uid=Alice, ou=People,dc=example,dc=com` and `UID=alice,OU=people,DC=Example,DC=com` both become
/// `uid=alice,ou=people,dc=example,dc=com`.
///
/// The form follows what directory servers match on: attribute types lower-cased; values unescaped, their spaces
/// handled as LDAP's caseIgnoreMatch does (none at the ends, runs inside folded to one) and case-folded; the
/// pairs of a multi-valued RDN sorted. In the output `\`, `,` and `+` inside values, and a leading `#`, are escaped
/// with `\`, so distinct DNs stay distinct.
struct DNNormalizer {
    /// The canonical form written by the last ``normalize(_:)``.
    private(set) var output: [UInt8] = []
    private var parser = DNParser()
    private var folded: [UInt8] = []

    /// Normalises `dn` into ``output``.
    /// - Throws: ``DNSyntaxError`` when `dn` is not a DN or a value is not UTF-8.
    mutating func normalize(_ dn: UnsafeBufferPointer<UInt8>) throws(DNSyntaxError) {
        output.removeAll(keepingCapacity: true)
        output.append(contentsOf: dn)
        if output.withUnsafeMutableBufferPointer({ Self.lowerIfPlain($0) }) { return }
        output.removeAll(keepingCapacity: true)
        try parser.parse(dn)
        var index = 0
        let avas = parser.avas
        while index < avas.count {
            var end = index + 1
            while end < avas.count, avas[end].rdn == avas[index].rdn { end += 1 }
            if index > 0 { output.append(ASCIIByte.comma) }
            if end == index + 1 {
                try append(avas[index])
            } else {
                try appendSorted(avas[index..<end])
            }
            index = end
        }
    }

    /// Most DNs (`uid=jdoe,ou=people,dc=example,dc=com`) hold nothing that parsing would change but the case:
    /// RDNs of one descriptor type (a letter, then letters, digits, hyphens) and a value of letters, digits and
    /// `-._@=`. For those the canonical form is the DN lower-cased, exactly what the full parse would produce; any
    /// other DN (a numeric OID type included) takes the full parse.
    ///
    /// One pass over raw bytes: the earlier loop, which checked each type afterwards as a generic collection, was
    /// 13% of reading the benchmark's LDIF of 1,000,000 member values.
    /// - Returns: whether `dn` is plain; it is lower-cased in place when it is, and left in any state when not.
    private static func lowerIfPlain(_ dn: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard let base = dn.baseAddress, !dn.isEmpty else { return true }
        let count = dn.count
        var position = 0
        while true {
            guard position < count, ASCIIByte.lower(base[position]) &- 0x61 < 26 else { return false }
            while position < count, base[position] != ASCIIByte.equals {
                let byte = base[position]
                let lower = ASCIIByte.lower(byte)
                guard lower &- 0x61 < 26 || byte &- 0x30 < 10 || byte == ASCIIByte.hyphen else { return false }
                if lower != byte { base[position] = lower }
                position += 1
            }
            guard position < count else { return false }
            position += 1
            while position < count, base[position] != ASCIIByte.comma {
                let byte = base[position]
                let lower = ASCIIByte.lower(byte)
                guard
                    lower &- 0x61 < 26 || byte &- 0x30 < 10 || byte == ASCIIByte.hyphen || byte == ASCIIByte.dot
                        || byte == 0x5F || byte == 0x40 || byte == ASCIIByte.equals
                else { return false }
                if lower != byte { base[position] = lower }
                position += 1
            }
            guard position < count else { return true }
            position += 1
        }
    }

    private mutating func append(_ ava: DNParser.AVA) throws(DNSyntaxError) {
        output.append(contentsOf: parser.bytes(ava.type))
        output.append(ASCIIByte.equals)
        if ava.isBER {
            output.append(contentsOf: parser.bytes(ava.value))
            return
        }
        try fold(parser.bytes(ava.value))
        for (offset, byte) in folded.enumerated() {
            if byte == ASCIIByte.backslash || byte == ASCIIByte.comma || byte == ASCIIByte.plus
                || (offset == 0 && byte == ASCIIByte.hash)
            {
                output.append(ASCIIByte.backslash)
            }
            output.append(byte)
        }
    }

    /// The pairs of a multi-valued RDN (`ou=Sales+cn=J. Smith`) in any order name the same entry.
    private mutating func appendSorted(_ avas: ArraySlice<DNParser.AVA>) throws(DNSyntaxError) {
        let start = output.count
        var parts: [[UInt8]] = []
        for ava in avas {
            try append(ava)
            parts.append(Array(output[start...]))
            output.removeLast(output.count - start)
        }
        parts.sort { $0.lexicographicallyPrecedes($1) }
        for (index, part) in parts.enumerated() {
            if index > 0 { output.append(ASCIIByte.plus) }
            output.append(contentsOf: part)
        }
    }

    /// Writes `value` into `folded`: spaces trimmed and runs of them folded to one, letters lower-cased
    /// (Unicode-aware when the value is not ASCII).
    private mutating func fold(_ value: ArraySlice<UInt8>) throws(DNSyntaxError) {
        folded.removeAll(keepingCapacity: true)
        var ascii = true
        var pendingSpace = false
        for byte in value {
            if byte == ASCIIByte.space {
                pendingSpace = !folded.isEmpty
                continue
            }
            if pendingSpace {
                folded.append(ASCIIByte.space)
                pendingSpace = false
            }
            if byte >= 0x80 { ascii = false }
            folded.append(ASCIIByte.lower(byte))
        }
        if !ascii, String(validating: folded, as: UTF8.self) == nil { throw DNSyntaxError.invalidUTF8 }
        // Whitespace at the ends is trimmed where the value becomes an id or a customer; inside, a control
        // character would make `bob\00` another user than `bob`.
        if let first = folded.firstIndex(where: { !ASCIIByte.isWhitespace($0) }),
            let last = folded.lastIndex(where: { !ASCIIByte.isWhitespace($0) }),
            ascii
                ? folded[first...last].contains(where: { InputExcerpt.isControl(Unicode.Scalar($0)) })
                : String(decoding: folded[first...last], as: UTF8.self).unicodeScalars.contains(
                    where: InputExcerpt.isControl
                )
        {
            throw DNSyntaxError.malformed("a value holds a control character")
        }
        guard !ascii else { return }
        folded = Array(String(decoding: folded, as: UTF8.self).lowercased().utf8)
    }
}
