/// What every refusal of an input must look like: a message that starts with the file, and with the line
/// where the format has lines.
package enum ErrorCheck {
    /// Requires `error` to read as `FILE: ...` or, when `namesLine`, `FILE:LINE: ...` or `FILE:LINE:COLUMN: ...`
    /// with LINE within the input and COLUMN at least 1.
    /// - Parameters:
    ///   - error: what the reader threw.
    ///   - file: the path the reader was given.
    ///   - lastLine: the highest line the input has.
    ///   - namesLine: whether this error must name a line.
    package static func requireLocated(_ error: any Error, file: String, lastLine: Int, namesLine: Bool) {
        let text = "\(error)"
        Invariant.require(text.hasPrefix(file + ":"), "error does not start with the file \(file): \(text)")
        guard namesLine else { return }
        var rest = text.dropFirst(file.count + 1)
        let line = Int(rest.prefix { $0.isASCII && $0.isNumber })
        Invariant.require(
            line.map { (1...lastLine).contains($0) } ?? false,
            "error names no line in 1...\(lastLine): \(text)"
        )
        rest = rest.drop { $0.isASCII && $0.isNumber }
        Invariant.require(rest.hasPrefix(":"), "no ':' after the line number: \(text)")
        rest = rest.dropFirst()
        guard let first = rest.first, first.isASCII, first.isNumber else { return }
        let column = Int(rest.prefix { $0.isASCII && $0.isNumber })
        Invariant.require((column ?? 0) >= 1, "column is not 1 or more: \(text)")
    }
}
