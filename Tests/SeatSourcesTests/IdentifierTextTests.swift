import SeatSources
import Testing

@Suite struct IdentifierTextTests {
    /// Input: ids holding, after `ab`, U+0000, U+001F, DEL, the C1 controls U+0085 and U+009F (UTF-8 lead byte 0xC2),
    /// and ids holding no control: no-break space U+00A0 (also led by 0xC2), `é`, `Ā`, and plain ASCII.
    /// Expected: the control, or nil, the same from the string, a substring of it and its UTF-8 bytes.
    @Test(
        arguments: [
            ("ab\u{0}", Unicode.Scalar(0x00)), ("ab\u{1F}c", Unicode.Scalar(0x1F)), ("ab\u{7F}", Unicode.Scalar(0x7F)),
            ("ab\u{85}c", Unicode.Scalar(0x85)), ("ab\u{9F}", Unicode.Scalar(0x9F)), ("ab\u{A0}c", nil), ("abé", nil),
            ("abĀ", nil), ("ab-c.d@e", nil),
        ] as [(String, Unicode.Scalar?)]
    )
    func findsTheFirstControlCharacter(_ text: String, _ expected: Unicode.Scalar?) {
        #expect(IdentifierText.firstControl(in: text) == expected)
        #expect(IdentifierText.firstControl(in: ("x" + text).dropFirst()) == expected)
        var copy = text
        #expect(copy.withUTF8 { IdentifierText.firstControl(in: $0) } == expected)
    }
}
