/// What an id, a customer, a role or a feature code read from a source may hold: no control character.
///
/// `bob\u0000` and `bob` would count as two users, and a line break in a customer id could forge lines of the plan.
/// The one owner of that rule: the readers call it, and a control character is what ``InputExcerpt/isControl(_:)``
/// says it is.
package enum IdentifierText {
    /// The first control character in `text`, or `nil` when it has none.
    ///
    /// Scans the UTF-8 bytes first where the string has them in one piece (see ``mayHoldControl(_:)``): decoding
    /// every scalar of every id was a twentieth of reading a JSON snapshot.
    package static func firstControl(in text: some StringProtocol) -> Unicode.Scalar? {
        if text.utf8.withContiguousStorageIfAvailable(mayHoldControl) == false { return nil }
        return text.unicodeScalars.first(where: InputExcerpt.isControl)
    }

    /// The first control character in `bytes` (valid UTF-8), or `nil` when it has none.
    package static func firstControl(in bytes: UnsafeBufferPointer<UInt8>) -> Unicode.Scalar? {
        guard mayHoldControl(bytes) else { return nil }
        return String(decoding: bytes, as: UTF8.self).unicodeScalars.first(where: InputExcerpt.isControl)
    }

    /// Whether UTF-8 `bytes` may encode a control character: one is encoded with a byte below 0x20, with 0x7F, or
    /// (C1) with the lead byte 0xC2, so text without those bytes needs no decoding. Readers check every row.
    private static func mayHoldControl(_ bytes: UnsafeBufferPointer<UInt8>) -> Bool {
        bytes.contains { $0 < 0x20 || $0 == 0x7F || $0 == 0xC2 }
    }

    /// How an error names a control character: `U+0000`.
    package static func name(_ scalar: Unicode.Scalar) -> String {
        let hex = String(scalar.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }
}
