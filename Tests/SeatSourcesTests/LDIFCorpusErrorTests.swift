import Foundation
import SeatSources
import TestSupport
import Testing

/// The inputs `scripts/fuzz` keeps for the LDIF reader: hand-written seeds and what libFuzzer found.
private let corpus = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
    .appendingPathComponent("../../Fuzz/Corpus/fuzz-ldif").standardized

/// A value of an attribute no configuration below reads, planted after every `dn:` line.
private let password = "SECRETVALUE-PASSWORD"
/// A `mail` value, read only by the configuration that takes ids from `mail`.
private let mail = "SECRETVALUE-MAIL"

/// The configurations of `fuzz-ldif`: customers from an RDN or an attribute, ids from uid, mail or sAMAccountName.
private let configurations = [
    LDIFOptions(customer: .rdn("o"), groups: ["editors": "editor", "Viewers": "viewer", "admins": "admin"]),
    LDIFOptions(
        customer: .attribute("businessCategory"),
        groups: ["editors": "editor", "viewers": "viewer", "admins": "admin"],
        userIDAttribute: "mail"
    ),
    LDIFOptions(customer: .rdn("OU"), groups: ["editors": "editor"], userIDAttribute: "sAMAccountName"),
]

/// `bytes` with `userPassword` and `mail` lines after every `dn:` line and its folds.
private func planted(_ bytes: [UInt8]) -> [UInt8] {
    var lines = bytes.split(separator: 0x0A, omittingEmptySubsequences: false).map(Array.init)
    var index = 0
    while index < lines.count {
        defer { index += 1 }
        guard lines[index].prefix(3).map({ $0 | 0x20 }) == Array("dn:".utf8) else { continue }
        var end = index + 1
        while end < lines.count, lines[end].first == 0x20 { end += 1 }
        lines.insert(contentsOf: [Array("userPassword: \(password)".utf8), Array("mail: \(mail)".utf8)], at: end)
        index = end + 1
    }
    return Array(lines.joined(separator: [0x0A]))
}

/// `bytes` with every line end turned into a lone CR, as a classic Mac OS export writes them.
private func carriageReturnsOnly(_ bytes: [UInt8]) -> [UInt8] {
    var out: [UInt8] = []
    for (index, byte) in bytes.enumerated() {
        if byte == 0x0A {
            if out.last != 0x0D || index == 0 || bytes[index - 1] != 0x0D { out.append(0x0D) }
        } else {
            out.append(byte)
        }
    }
    return out
}

@Suite struct LDIFCorpusErrorTests {
    /// Every corpus input, with a password and a mail planted after each DN, read as it is and with CR line ends,
    /// under each configuration. Expected, for every error: one line (named file included) of at most 300 bytes,
    /// holding no planted password and, unless ids come from mail, no planted mail.
    @Test func errorsStayShortAndQuoteNoValueOfAnUnusedAttribute() throws {
        let names = try FileManager.default.contentsOfDirectory(atPath: corpus.path).sorted()
        #expect(names.count > 100)
        var errors = 0
        for name in names {
            let original = Array(try Data(contentsOf: corpus.appendingPathComponent(name)))
            for input in [planted(original), carriageReturnsOnly(planted(original))] {
                for options in configurations {
                    guard let line = errorLine(input, named: "groups.ldif", { try readLDIF($0, options) }) else {
                        continue
                    }
                    errors += 1
                    #expect(line.utf8.count <= 300, "\(name): \(line.utf8.count) bytes: \(line.prefix(400))")
                    #expect(!line.contains("\n") && !line.contains("\r"), "\(name): \(line)")
                    #expect(!line.contains(password), "\(name): \(line)")
                    if options.userIDAttribute != "mail" { #expect(!line.contains(mail), "\(name): \(line)") }
                }
            }
        }
        // The corpus holds malformed inputs: a run in which nothing failed would check nothing.
        #expect(errors > 100)
    }

    @Test func aHugeDNInAnErrorIsCutToAnExcerpt() {
        // Input: an entry DN of 2,000 bytes that does not parse (its last RDN has no '='). Expected: an error line
        // of at most 300 bytes quoting the start of the DN and its full size.
        let dn = "cn=" + String(repeating: "a", count: 2000) + ",nothing"
        let line = errorLine(Array("dn: \(dn)\nobjectClass: top\n".utf8), named: "groups.ldif") {
            try readLDIF($0, configurations[0])
        }
        #expect(line?.hasPrefix("groups.ldif:1: 'cn=aaaa") == true)
        #expect(line?.contains("… (2011 bytes)") == true)
        #expect((line?.utf8.count ?? 0) <= 300)
    }
}
