import Testing

@testable import SeatSources

/// `DNNormalizer.lowerIfPlain` decides eight bytes at a time which DNs skip the full parse; these tests hold it to
/// the byte-by-byte rule it replaced.
@Suite struct DNNormalizerPlainTests {
    /// The rule, byte by byte, as the reader applied it before: RDNs of a type (a letter, then letters, digits,
    /// hyphens), `=`, and a value of letters, digits and `-._@=`, separated by commas; lower-cased when plain.
    static func reference(_ dn: [UInt8]) -> [UInt8]? {
        var out = dn
        var position = 0
        guard !dn.isEmpty else { return out }
        func lower(_ byte: UInt8) -> UInt8 { byte &- 0x41 < 26 ? byte | 0x20 : byte }
        while true {
            guard position < dn.count, lower(dn[position]) &- 0x61 < 26 else { return nil }
            while position < dn.count, dn[position] != UInt8(ascii: "=") {
                let byte = dn[position]
                guard lower(byte) &- 0x61 < 26 || byte &- 0x30 < 10 || byte == UInt8(ascii: "-") else { return nil }
                out[position] = lower(byte)
                position += 1
            }
            guard position < dn.count else { return nil }
            position += 1
            while position < dn.count, dn[position] != UInt8(ascii: ",") {
                let byte = dn[position]
                guard lower(byte) &- 0x61 < 26 || byte &- 0x30 < 10 || Array("-._@=".utf8).contains(byte) else {
                    return nil
                }
                out[position] = lower(byte)
                position += 1
            }
            guard position < dn.count else { return out }
            position += 1
        }
    }

    static func wordAtATime(_ dn: [UInt8]) -> [UInt8]? {
        var out = dn
        return out.withUnsafeMutableBufferPointer { DNNormalizer.lowerIfPlain($0) } ? out : nil
    }

    /// Input: every string of up to five bytes over `aZ0-._@=,` plus a space, `\`, a control byte and a UTF-8 lead
    /// byte (14^5 strings, all of them shorter than a word). Expected: the same verdict and bytes as the rule.
    @Test func agreesOnEveryShortString() {
        let alphabet: [UInt8] = Array("aZ0-._@=, \\".utf8) + [0x7F, 0xC3, UInt8(ascii: "q")]
        var dn: [UInt8] = []
        var disagreements: [[UInt8]] = []
        func extend(_ length: Int) {
            if Self.wordAtATime(dn) != Self.reference(dn) { disagreements.append(dn) }
            guard length < 5 else { return }
            for byte in alphabet {
                dn.append(byte)
                extend(length + 1)
                dn.removeLast()
            }
        }
        extend(0)
        #expect(disagreements.count == 0, "first: \(disagreements.prefix(5))")
    }

    /// Input: 200,000 DN-like strings of 1 to 90 bytes (RDNs of random types and values, then one byte of each
    /// changed to another of the alphabet at random, so that RDNs, words and the end meet in every way).
    /// Expected: the same verdict and bytes as the rule.
    @Test func agreesOnDNsOfEveryLength() {
        var random = SystemRandomNumberGenerator()
        let alphabet: [UInt8] = Array("aZ0-._@=, \\".utf8) + [0x7F, 0xC3]
        let typeBytes = Array("abcXYZ019-".utf8)
        let valueBytes = Array("abcXYZ019-._@=".utf8)
        var disagreements: [[UInt8]] = []
        var plain = 0
        for _ in 0..<200_000 {
            var dn: [UInt8] = []
            for rdn in 0..<Int.random(in: 1...8, using: &random) {
                if rdn > 0 { dn.append(UInt8(ascii: ",")) }
                dn.append(Array("aZq".utf8).randomElement(using: &random)!)
                for _ in 0..<Int.random(in: 0...3, using: &random) {
                    dn.append(typeBytes.randomElement(using: &random)!)
                }
                dn.append(UInt8(ascii: "="))
                for _ in 0..<Int.random(in: 0...12, using: &random) {
                    dn.append(valueBytes.randomElement(using: &random)!)
                }
            }
            if Bool.random(using: &random) {
                dn[Int.random(in: 0..<dn.count, using: &random)] = alphabet.randomElement(using: &random)!
            }
            let expected = Self.reference(dn)
            if expected != nil { plain += 1 }
            if Self.wordAtATime(dn) != expected { disagreements.append(dn) }
        }
        #expect(
            disagreements.count == 0,
            "first: \(disagreements.prefix(3).map { String(decoding: $0, as: UTF8.self) })"
        )
        // Both verdicts are exercised.
        #expect(plain > 50_000 && plain < 150_000)
    }

    /// Input: every pair of DNs made of a first RDN and a tail from the lists below, normalised one after the other
    /// by one normalizer, which reuses the tail of the last plain DN: first RDNs plain, in capitals, escaped,
    /// padded, multi-valued, empty, without `=`, with a numeric or bad type, non-ASCII; tails plain, in capitals,
    /// padded, ending in a comma, holding an escape or an empty RDN.
    /// Expected: the second DN's form, or error, is what a fresh normalizer gives it.
    @Test func reusesATailOnlyWhereTheWholeDNIsPlain() {
        let firsts = [
            "uid=jdoe", "UID=JDoe", "uid=j.doe@x-y_z", "cn=J\\, Doe", "uid= jdoe ", "uid=a+cn=b", "", "jdoe",
            "1.2=x", "uid=", "=x", "u_d=x", "uid=\u{e9}", "uid=a=b", "uid=#41",
        ]
        let tails = [
            ",ou=people,dc=example,dc=com", ",OU=People,dc=example,dc=com", ", ou=people,dc=example,dc=com",
            ",ou=people,dc=example,dc=com,", ",ou=people", ",", ",ou=p\\,x", ",ou=people,,dc=com",
            ",ou=people,dc=example,dc=com ", "",
        ]
        let dns = firsts.flatMap { first in tails.map { Array((first + $0).utf8) } }
        func normalized(_ dn: [UInt8], by normalizer: inout DNNormalizer) -> Result<[UInt8], DNSyntaxError> {
            Result { () throws(DNSyntaxError) in
                try dn.withUnsafeBufferPointer { dn throws(DNSyntaxError) in try normalizer.normalize(dn) }
                return Array(normalizer.output)
            }
        }
        var disagreements: [String] = []
        var sharingATail = 0
        for earlier in dns {
            for dn in dns {
                var fresh = DNNormalizer()
                let expected = normalized(dn, by: &fresh)
                var normalizer = DNNormalizer()
                _ = normalized(earlier, by: &normalizer)
                if normalized(dn, by: &normalizer) != expected {
                    disagreements.append(
                        String(decoding: earlier, as: UTF8.self) + " then " + String(decoding: dn, as: UTF8.self)
                    )
                }
                if case .success = expected, earlier != dn,
                    earlier.split(separator: 44, maxSplits: 1).last == dn.split(separator: 44, maxSplits: 1).last
                {
                    sharingATail += 1
                }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.count), first: \(disagreements.prefix(3))")
        // Pairs that share a tail and normalise are many: the reuse is exercised.
        #expect(sharingATail > 100)
    }
}
