#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

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
    var output: ArraySlice<UInt8> { form[..<formLength] }
    /// Holds the output in its first `formLength` bytes, and bytes of earlier forms after them.
    ///
    /// A plain DN is copied into place and lower-cased there, its count set once: emptying an array and appending
    /// to it, each a call that checks uniqueness and capacity, was a third of normalising a member DN.
    private var form: [UInt8] = []
    private var formLength = 0
    private var parser = DNParser()
    private var folded: [UInt8] = []
    /// The last plain DN with more than one RDN, from its first comma on: as written, and lower-cased.
    ///
    /// The member values of a group mostly share everything after their first RDN
    /// (`,ou=people,o=acme,dc=example,dc=com`). A DN whose bytes from its first comma on are the same as these
    /// needs only its first RDN checked and lower-cased: comparing the rest is a `memcmp`, where checking it
    /// was most of ``lowerIfPlain(_:)``'s time, itself a tenth of reading the benchmark's group LDIF.
    private var writtenTail: [UInt8] = []
    private var plainTail: [UInt8] = []

    /// Normalises `dn` into ``output``.
    /// - Throws: ``DNSyntaxError`` when `dn` is not a DN or a value is not UTF-8.
    mutating func normalize(_ dn: UnsafeBufferPointer<UInt8>) throws(DNSyntaxError) {
        let comma = Self.firstComma(dn)
        if let comma, comma > 0, ByteComparison.equal(writtenTail, UnsafeBufferPointer(rebasing: dn[comma...])) {
            // The first RDN is plain on its own (a type, `=`, a value, no comma); the tail was plain after a
            // comma in the DN it came from, which leaves the RDN it starts unaffected by what came before.
            let count = comma + plainTail.count
            makeRoom(for: count)
            let isPlain = plainTail.withUnsafeBufferPointer { tail in
                form.withUnsafeMutableBufferPointer { form in
                    let rdn = UnsafeMutableBufferPointer(rebasing: form[..<comma])
                    Self.copy(UnsafeBufferPointer(rebasing: dn[..<comma]), to: rdn)
                    guard Self.lowerIfPlain(rdn) else { return false }
                    Self.copy(tail, to: UnsafeMutableBufferPointer(rebasing: form[comma..<count]))
                    return true
                }
            }
            if isPlain {
                formLength = count
                return
            }
        }
        makeRoom(for: dn.count)
        let isPlain = form.withUnsafeMutableBufferPointer { form in
            let copy = UnsafeMutableBufferPointer(rebasing: form[..<dn.count])
            Self.copy(dn, to: copy)
            return Self.lowerIfPlain(copy)
        }
        if isPlain {
            formLength = dn.count
            writtenTail.removeAll(keepingCapacity: true)
            plainTail.removeAll(keepingCapacity: true)
            if let comma, comma > 0 {
                writtenTail.append(contentsOf: UnsafeBufferPointer(rebasing: dn[comma...]))
                plainTail.append(contentsOf: form[comma..<dn.count])
            }
            return
        }
        form.removeAll(keepingCapacity: true)
        try parser.parse(dn)
        var index = 0
        let avas = parser.avas
        while index < avas.count {
            var end = index + 1
            while end < avas.count, avas[end].rdn == avas[index].rdn { end += 1 }
            if index > 0 { form.append(ASCIIByte.comma) }
            if end == index + 1 {
                try append(avas[index])
            } else {
                try appendSorted(avas[index..<end])
            }
            index = end
        }
        formLength = form.count
    }

    /// Copies `source` to `target`, of the same count.
    private static func copy(_ source: UnsafeBufferPointer<UInt8>, to target: UnsafeMutableBufferPointer<UInt8>) {
        UnsafeMutableRawBufferPointer(target).copyMemory(from: UnsafeRawBufferPointer(source))
    }

    /// Makes `form` at least `count` bytes long, for a form of that many to be written in place.
    private mutating func makeRoom(for count: Int) {
        if form.count < count { form.append(contentsOf: repeatElement(0, count: count - form.count)) }
    }

    private static func firstComma(_ dn: UnsafeBufferPointer<UInt8>) -> Int? {
        guard let base = dn.baseAddress, let found = memchr(base, Int32(ASCIIByte.comma), dn.count) else { return nil }
        return UnsafeRawPointer(found) - UnsafeRawPointer(base)
    }

    /// Most DNs (`uid=jdoe,ou=people,dc=example,dc=com`) hold nothing that parsing would change but the case:
    /// RDNs of one descriptor type (a letter, then letters, digits, hyphens) and a value of letters, digits and
    /// `-._@=`. For those the canonical form is the DN lower-cased, exactly what the full parse would produce; any
    /// other DN (a numeric OID type included) takes the full parse.
    ///
    /// Eight bytes at a time: each word is checked for bytes outside those, lower-cased, and its `=`, `,` and the
    /// bytes a type may not hold (`._@`) are taken one by one, in order, to check the RDNs' shape. Byte by byte,
    /// this was the largest part of the thread that numbers an LDIF's member values after the DN table's misses.
    /// - Returns: whether `dn` is plain; it is lower-cased in place when it is, and left in any state when not.
    static func lowerIfPlain(_ dn: UnsafeMutableBufferPointer<UInt8>) -> Bool {
        guard let base = dn.baseAddress, !dn.isEmpty else { return true }
        let count = dn.count
        // Whether the bytes so far are in a type (up to its `=`), and where the RDN being read started.
        var inType = true
        var rdnStart = 0
        var offset = 0
        while offset < count {
            let length = Swift.min(8, count - offset)
            // A short last word of a DN of eight bytes or more is read as its last eight bytes, those already read
            // masked out: lower-casing them again changes nothing. Byte by byte, a short word was a third of this
            // function's instructions on the many-groups benchmark, whose RDNs (`uid=user12`) mostly end in one.
            let start = length == 8 || count < 8 ? offset : count - 8
            let word: UInt64
            let present: UInt64
            if start + 8 <= count {
                word = UInt64(littleEndian: UnsafeRawPointer(base + start).loadUnaligned(as: UInt64.self))
                present = PlainWord.highs << UInt64(8 * (8 - length)) & PlainWord.highs
            } else {
                word = (0..<length).reduce(0) { $0 | UInt64(base[offset + $1]) << UInt64(8 * $1) }
                present = ((1 << UInt64(8 * length)) - 1) & PlainWord.highs
            }
            guard let classes = PlainWord(word), classes.allowed & present == present else { return false }
            if start + 8 <= count {
                UnsafeMutableRawPointer(base + start).storeBytes(of: classes.lowered.littleEndian, as: UInt64.self)
            } else {
                for index in 0..<length {
                    base[offset + index] = UInt8(truncatingIfNeeded: classes.lowered >> UInt64(8 * index))
                }
            }
            var events = classes.events & present
            while events != 0 {
                let position = start + events.trailingZeroBitCount / 8
                events &= events - 1
                switch base[position] {
                case ASCIIByte.equals:
                    if inType {
                        // A type: at least one byte, the first a letter.
                        guard position > rdnStart, ASCIIByte.lower(base[rdnStart]) &- 0x61 < 26 else { return false }
                        inType = false
                    }
                case ASCIIByte.comma:
                    guard !inType else { return false }
                    inType = true
                    rdnStart = position + 1
                default:
                    // `.`, `_` or `@`: only a value may hold one.
                    guard !inType else { return false }
                }
            }
            offset += length
        }
        // The last RDN has its `=`, and the DN does not end with a comma (that RDN would be empty, in its type).
        return !inType
    }

    private mutating func append(_ ava: DNParser.AVA) throws(DNSyntaxError) {
        form.append(contentsOf: parser.bytes(ava.type))
        form.append(ASCIIByte.equals)
        if ava.isBER {
            form.append(contentsOf: parser.bytes(ava.value))
            return
        }
        try fold(parser.bytes(ava.value))
        for (offset, byte) in folded.enumerated() {
            if byte == ASCIIByte.backslash || byte == ASCIIByte.comma || byte == ASCIIByte.plus
                || (offset == 0 && byte == ASCIIByte.hash)
            {
                form.append(ASCIIByte.backslash)
            }
            form.append(byte)
        }
    }

    /// The pairs of a multi-valued RDN (`ou=Sales+cn=J. Smith`) in any order name the same entry.
    private mutating func appendSorted(_ avas: ArraySlice<DNParser.AVA>) throws(DNSyntaxError) {
        let start = form.count
        var parts: [[UInt8]] = []
        for ava in avas {
            try append(ava)
            parts.append(Array(form[start...]))
            form.removeLast(form.count - start)
        }
        parts.sort { $0.lexicographicallyPrecedes($1) }
        for (index, part) in parts.enumerated() {
            if index > 0 { form.append(ASCIIByte.plus) }
            form.append(contentsOf: part)
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

/// The bytes of a word of a DN, classed eight at a time as ``DNNormalizer/lowerIfPlain(_:)`` needs them: each class
/// is a mask with the high bit of each byte in it set.
private struct PlainWord {
    static let ones: UInt64 = 0x0101_0101_0101_0101
    static let highs: UInt64 = 0x8080_8080_8080_8080

    /// Bytes a plain DN may hold: letters, digits and `-._@=,`.
    let allowed: UInt64
    /// `=`, `,`, and the bytes only a value may hold: `._@`.
    let events: UInt64
    /// The word with its capital letters lower-cased.
    let lowered: UInt64

    /// `nil` when a byte is not ASCII.
    @inline(__always)
    init?(_ word: UInt64) {
        guard word & Self.highs == 0 else { return nil }
        let upper = Self.range(word, 0x41, 0x5A)
        lowered = word | upper >> 2
        let letters = Self.range(lowered, 0x61, 0x7A)
        let digits = Self.range(word, 0x30, 0x39)
        let onlyInValues = Self.equal(word, ASCIIByte.dot) | Self.equal(word, 0x5F) | Self.equal(word, 0x40)
        let separators = Self.equal(word, ASCIIByte.equals) | Self.equal(word, ASCIIByte.comma)
        allowed = letters | digits | Self.equal(word, ASCIIByte.hyphen) | onlyInValues | separators
        events = onlyInValues | separators
    }

    /// The bytes of `word` (each below 0x80) from `low` to `high`: setting each byte's high bit first keeps a
    /// subtraction from borrowing across bytes.
    private static func range(_ word: UInt64, _ low: UInt8, _ high: UInt8) -> UInt64 {
        let atLeastLow = ((word | highs) &- ones &* UInt64(low)) & highs
        let aboveHigh = ((word | highs) &- ones &* UInt64(high + 1)) & highs
        return atLeastLow & ~aboveHigh
    }

    private static func equal(_ word: UInt64, _ byte: UInt8) -> UInt64 {
        range(word, byte, byte)
    }
}
