/// Decides the field delimiter of a file whose configuration names none, from its header line.
enum CSVDelimiterDetector {
    /// The delimiter of the header line: whichever of `,` `;` tab occurs most often outside quotes, ties going
    /// in that order. Leading blank lines are passed over.
    /// - Returns: `nil` when the header line has not ended yet and more bytes may come.
    static func delimiter(in bytes: ArraySlice<UInt8>, atEndOfFile: Bool) -> UInt8? {
        var commas = 0
        var semicolons = 0
        var tabs = 0
        var inQuotes = false
        var lineHasText = false
        func choice() -> UInt8 {
            if commas >= semicolons && commas >= tabs { return ASCIIByte.comma }
            return semicolons >= tabs ? ASCIIByte.semicolon : ASCIIByte.tab
        }
        for byte in bytes {
            if byte == ASCIIByte.quote {
                inQuotes.toggle()
                lineHasText = true
                continue
            }
            if inQuotes { continue }
            switch byte {
            case ASCIIByte.lineFeed, ASCIIByte.carriageReturn:
                if lineHasText { return choice() }
                (commas, semicolons, tabs) = (0, 0, 0)
            case ASCIIByte.comma: commas += 1
            case ASCIIByte.semicolon: semicolons += 1
            case ASCIIByte.tab: tabs += 1
            case ASCIIByte.space: break
            default: lineHasText = true
            }
        }
        return atEndOfFile ? choice() : nil
    }
}
