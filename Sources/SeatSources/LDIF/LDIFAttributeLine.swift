/// One logical line split the way RFC 2849 writes an attribute: `type;option;option: value`,
/// `type;options:: base64` or `type;options:< URL`. Positions index into the line it was parsed from, so
/// nothing is copied.
struct LDIFAttributeLine {
    /// How the value is written.
    enum Encoding: Equatable {
        case plain
        case base64
        case url
    }

    /// The attribute type, without options.
    var type: Range<Int>
    /// The options after the first `;` (empty when there are none).
    var options: Range<Int>
    var encoding: Encoding
    /// The value as written (the base64 text for `::`), without the spaces that follow the colon.
    var value: Range<Int>

    /// Splits `line`.
    /// - Throws: ``LDIFError/missingColon(file:line:)`` or ``LDIFError/badAttributeDescription(file:line:description:)``.
    init(parsing line: UnsafeBufferPointer<UInt8>, file: String, number: Int) throws(LDIFError) {
        var colon = 0
        var semicolon: Int?
        while colon < line.count, line[colon] != ASCIIByte.colon {
            let byte = line[colon]
            if byte == ASCIIByte.semicolon {
                if semicolon == nil { semicolon = colon }
            } else if !Self.isDescriptionByte(byte) {
                if let end = line[colon...].firstIndex(of: ASCIIByte.colon) {
                    throw .badAttributeDescription(file: file, line: number, description: Self.text(line[0..<end]))
                }
                throw .missingColon(file: file, line: number)
            }
            colon += 1
        }
        guard colon < line.count else { throw .missingColon(file: file, line: number) }
        let typeEnd = semicolon ?? colon
        guard typeEnd > 0 else {
            throw .badAttributeDescription(file: file, line: number, description: Self.text(line[0..<colon]))
        }
        type = 0..<typeEnd
        options = semicolon.map { ($0 + 1)..<colon } ?? colon..<colon

        var position = colon + 1
        encoding = .plain
        if position < line.count, line[position] == ASCIIByte.colon {
            encoding = .base64
            position += 1
        } else if position < line.count, line[position] == ASCIIByte.lessThan {
            encoding = .url
            position += 1
        }
        while position < line.count, line[position] == ASCIIByte.space { position += 1 }
        value = position..<line.count
    }

    /// Whether the type is `name`, compared case-insensitively; `name` must be lower-case ASCII.
    func typeIs<Name: Collection<UInt8>>(_ name: Name, in line: UnsafeBufferPointer<UInt8>) -> Bool {
        guard type.count == name.count else { return false }
        var position = type.lowerBound
        for byte in name {
            guard ASCIIByte.lower(line[position]) == byte else { return false }
            position += 1
        }
        return true
    }

    /// The options in order, each as a range of the line.
    func eachOption(in line: UnsafeBufferPointer<UInt8>) -> [Range<Int>] {
        guard !options.isEmpty else { return [] }
        var result: [Range<Int>] = []
        var start = options.lowerBound
        for position in options where line[position] == ASCIIByte.semicolon {
            result.append(start..<position)
            start = position + 1
        }
        result.append(start..<options.upperBound)
        return result
    }

    /// Whether an option starts with `prefix` (lower-case ASCII), compared case-insensitively; returns that option.
    func option(startingWith prefix: [UInt8], in line: UnsafeBufferPointer<UInt8>) -> Range<Int>? {
        eachOption(in: line).first { option in
            option.count >= prefix.count
                && zip(option, prefix).allSatisfy { position, expected in ASCIIByte.lower(line[position]) == expected }
        }
    }

    /// The attribute description as written (type and options), for error messages.
    func attributeDescription(in line: UnsafeBufferPointer<UInt8>) -> String {
        Self.text(line[descriptionRange])
    }

    /// Where the attribute description (type and options) is in its line.
    var descriptionRange: Range<Int> {
        type.lowerBound..<(options.isEmpty ? type.upperBound : options.upperBound)
    }

    static func text(_ bytes: Slice<UnsafeBufferPointer<UInt8>>) -> String {
        String(decoding: bytes, as: UTF8.self)
    }

    /// Attribute types are letters, digits and hyphens, or dotted OIDs; options add `=` and `*` (`range=1500-*`)
    /// and `_` (some vendor options).
    private static func isDescriptionByte(_ byte: UInt8) -> Bool {
        switch byte {
        case 0x30...0x39, 0x41...0x5A, 0x61...0x7A, 0x2D, 0x2E, 0x3D, 0x2A, 0x5F: return true
        default: return false
        }
    }
}
