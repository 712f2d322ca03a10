import Testing

@testable import SeatSources

struct InputExcerptTests {
    @Test("a short value is quoted whole, with its control characters escaped")
    func shortValue() {
        #expect(InputExcerpt.quote("bob") == "bob")
        #expect(InputExcerpt.quote("a\nb\u{1B}[2J\u{0}") == "a\\nb\\u{1b}[2J\\u{0}")
    }

    @Test("a 200 MB-like value is cut to 100 bytes and names its full size")
    func longValue() {
        let value = String(repeating: "x", count: 250)
        let quoted = InputExcerpt.quote(value)
        #expect(quoted == String(repeating: "x", count: 100) + "… (250 bytes)")
        let bytes = [UInt8](repeating: 0x41, count: 5_000_000)
        #expect(InputExcerpt.quote(bytes) == String(repeating: "A", count: 100) + "… (5000000 bytes)")
    }

    @Test("a cut never splits a character: 99 ASCII bytes then a 3-byte character keep 99 bytes")
    func characterBoundary() {
        let value = String(repeating: "a", count: 99) + "€€"
        #expect(InputExcerpt.quote(value) == String(repeating: "a", count: 99) + "… (105 bytes)")
    }

    @Test("escapes count towards the 100 bytes: 200 NUL bytes quote as 20 escapes of 5 bytes, not 1,000 bytes")
    func escapesCount() {
        let quoted = InputExcerpt.quote([UInt8](repeating: 0, count: 200))
        #expect(quoted == String(repeating: "\\u{0}", count: 20) + "… (200 bytes)")
        #expect(InputExcerpt.quote(String(repeating: "\u{1B}", count: 20)).hasSuffix("… (20 bytes)"))
    }

    @Test("C1 controls and DEL count as control characters; ordinary non-ASCII does not")
    func controls() {
        #expect(InputExcerpt.isControl("\u{7F}"))
        #expect(InputExcerpt.isControl("\u{85}"))
        #expect(!InputExcerpt.isControl("é"))
        #expect(InputExcerpt.escapingControls("café") == "café")
    }
}
