import Testing
import TextRules

struct ASCIIWhitespaceTests {
    @Test(arguments: [
        (" editor ", "editor"),
        ("\teditor\t", "editor"),
        ("application/json\r\n", "application/json"),
        ("\r\n \t", ""),
        ("", ""),
        ("inner  space", "inner  space"),
        // Unicode spaces are part of the value.
        ("\u{A0}editor\u{3000}", "\u{A0}editor\u{3000}"),
        // Vertical tab and form feed are not whitespace here.
        ("\u{0B}120\u{0C}", "\u{0B}120\u{0C}"),
        (" café ", "café"),
        ("editor", "editor"),
        // A combining mark makes the space before it part of a character that is not whitespace.
        (" \u{301}editor", " \u{301}editor"),
    ])
    func trimsSpaceTabCarriageReturnAndLineFeedAtBothEnds(text: String, trimmed: String) {
        // Input: the text as a String and as a Substring of a longer one. Expected: the same trim for both.
        #expect(text.trimmingASCIIWhitespace() == trimmed)
        let padded = "<\(text)>"
        let inner = padded.dropFirst().dropLast()
        #expect(inner.trimmingASCIIWhitespace() == trimmed)
    }
}
