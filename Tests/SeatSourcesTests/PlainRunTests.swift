import Testing

@testable import SeatSources

private func plainRunEnd(_ run: [UInt8], from start: Int = 0, printable: Bool = false) -> Int {
    run.withUnsafeBufferPointer {
        printable
            ? PlainRun.printableEnd(in: $0, from: start, delimiter: UInt8(ascii: ";"))
            : PlainRun.end(in: $0, from: start, delimiter: UInt8(ascii: ";"))
    }
}

/// The CSV tokenizer and the JSON parser pass over runs of bytes that need no decision in one go; these tests pin
/// down where a run ends.
@Suite struct PlainRunTests {
    /// Input: every byte value placed at every offset of a 24-byte run of `a`, with `;` as delimiter.
    /// Expected: the run ends at that byte exactly when it is below the space, non-ASCII, `;` or `"`; a printable
    /// run (`printableEnd`) at DEL too.
    @Test(arguments: [false, true])
    func endsAtTheFirstByteThatNeedsADecision(printable: Bool) {
        for value in 0...255 {
            let byte = UInt8(value)
            let stops =
                byte < 0x20 || byte >= 0x80 || byte == UInt8(ascii: ";") || byte == UInt8(ascii: "\"")
                || (printable && byte == 0x7F)
            for offset in 0..<24 {
                var run = [UInt8](repeating: UInt8(ascii: "a"), count: 24)
                run[offset] = byte
                #expect(plainRunEnd(run, printable: printable) == (stops ? offset : 24), "byte \(value) at \(offset)")
            }
        }
    }

    /// Input: two bytes that stop a printable run in one 8-byte word (a tab or NUL first, whose borrow disturbs the
    /// bytes above it; 0xFF, whose carry does), and a scan starting past the first stop. Expected: the first stop at
    /// or after the start.
    @Test(arguments: [
        (UInt8(0x09), UInt8(ascii: "\"")), (0x00, 0x3B), (0xC3, 0x00), (0x3B, 0x3B), (0x1F, 0x80), (0xFF, 0x7F),
        (0x7F, 0x7F),
    ])
    func findsTheFirstOfTwoStops(_ first: UInt8, _ second: UInt8) {
        var run = Array("abcdefghijklmnopqrst".utf8)
        run[3] = first
        run[5] = second
        #expect(plainRunEnd(run, printable: true) == 3)
        #expect(plainRunEnd(run, from: 4, printable: true) == 5)
        #expect(plainRunEnd(run, from: 6, printable: true) == run.count)
    }

    /// Input: runs of 0 to 20 spaces, from offsets 0 to 3, ended by each byte value other than a space at every
    /// length, and one run that reaches the end of the buffer. Expected: the run ends at that byte, or at the end.
    @Test func spacesEndAtTheFirstOtherByte() {
        for value in 0...255 where value != 0x20 {
            for start in 0..<4 {
                for length in 0...20 {
                    var run = [UInt8](repeating: UInt8(ascii: "x"), count: start)
                    run += [UInt8](repeating: 0x20, count: length) + [UInt8(value)] + Array("  x".utf8)
                    let end = run.withUnsafeBufferPointer { PlainRun.spacesEnd(in: $0, from: start) }
                    #expect(end == start + length, "byte \(value) after \(length) spaces from \(start)")
                }
            }
        }
        let spaces = [UInt8](repeating: 0x20, count: 19)
        #expect(spaces.withUnsafeBufferPointer { PlainRun.spacesEnd(in: $0, from: 2) } == 19)
    }
}
