import Dispatch

/// The elements of an array from a guessed offset in the second half of the text to the array's end, parsed on
/// another thread while ``JSONParser`` parses the text up to there.
///
/// A snapshot is one long array of customers, and parsing it was a quarter of reading one, on one core. The guess
/// is the start of an object with a `"customer"` key after a comma. In valid JSON that is an array's element (a
/// string cannot hold the pattern's unescaped quote), but maybe not of the customers array, and the text may not be
/// valid. So the tail is used only when the parser reaches that very offset as an element of an array two levels
/// deep and the tail parsed without an error. Its entries are then what the parser would have made itself from
/// there, at the same depths, with lines moved by the lines before the offset. Otherwise the parser parses on and
/// the tail is dropped, so an error is always found and reported by the one parse of the whole text.
///
/// The tail is parsed onto the tape's own storage, from a position past the room the parser needs for the text
/// before the offset, and is used where it lies (``JSONTape/Splice``). When the parser streams the array, the tail
/// hands its elements to a consumer of its own as it parses them (``JSONArrayConsumer``), and only the array it was
/// streaming may take it.
///
/// `@unchecked Sendable`: the other thread only reads the text, which ``JSONParser/parse(_:splitting:streaming:)``
/// keeps alive and unchanged until ``finish()`` has waited for it, and writes `piece`, which is read only after that
/// wait, and the storage from ``start``, where the parser does not write until that wait.
final class JSONArrayTail: @unchecked Sendable {
    /// What the tail parse made: how many elements of the array it parsed, the positions of the entries of those its
    /// consumer did not take (all of them, without one), its escaped strings, and where the parser resumes (the
    /// array's `]`).
    struct Piece {
        var count: Int
        var entryStart: Int
        var entryEnd: Int
        var unescaped: [String]
        var end: Int
        var line: Int
        var lineStart: Int
    }

    /// Texts smaller than this are parsed on one thread: the second would save less than it costs to start.
    static let minimumSize = 1 << 20

    /// Where the tail starts: the first byte of the element it begins with.
    let offset: Int
    /// The storage of the whole tape, and the position of the tail's first entry in it.
    let storage: JSONTapeStorage
    let start: Int
    private let done = DispatchSemaphore(value: 0)
    private var piece: Piece?
    private var isFinished = false

    /// Starts parsing the tail of the array that holds the guessed element, or returns `nil` when the text is small
    /// or holds no guess in its second half.
    /// - Parameter consumer: makes the consumer the tail hands its elements to, when the array is streamed.
    init?(text: SourceText, bytes: UnsafeBufferPointer<UInt8>, consumer: (() -> any JSONArrayConsumer)? = nil) {
        guard bytes.count >= Self.minimumSize, let offset = Self.guess(in: bytes) else { return nil }
        self.offset = offset
        start = JSONParser.room(forBytes: offset)
        storage = JSONTapeStorage(
            capacity: start + JSONParser.room(forBytes: bytes.count - offset),
            large: consumer == nil
        )
        let unchecked = UncheckedText(text: text, bytes: bytes)
        let consumer = consumer?()
        DispatchQueue.global().async { [self] in
            piece = JSONParser.parseArrayTail(
                unchecked.text,
                unchecked.bytes,
                from: offset,
                into: storage,
                at: start,
                consumer: consumer
            )
            done.signal()
        }
    }

    /// Waits for the tail, once; its piece, or `nil` when it did not parse.
    func finish() -> Piece? {
        if !isFinished {
            done.wait()
            isFinished = true
        }
        return piece
    }

    /// The offset of a `{` that follows a `,` and is followed by the key `"customer"`, from the middle of `bytes`
    /// on, whitespace allowed between them.
    static func guess(in bytes: UnsafeBufferPointer<UInt8>) -> Int? {
        let key = Array(#""customer""#.utf8)
        var offset = bytes.count / 2
        while offset < bytes.count {
            defer { offset += 1 }
            guard bytes[offset] == UInt8(ascii: "{") else { continue }
            var before = offset - 1
            while before > 0 && ASCIIByte.isWhitespace(bytes[before]) { before -= 1 }
            guard bytes[before] == UInt8(ascii: ",") else { continue }
            var after = offset + 1
            while after < bytes.count && ASCIIByte.isWhitespace(bytes[after]) { after += 1 }
            guard bytes.count - after >= key.count, bytes[after..<after + key.count].elementsEqual(key) else {
                continue
            }
            return offset
        }
        return nil
    }

    /// The text handed to the other thread; see the type's `@unchecked Sendable`.
    private struct UncheckedText: @unchecked Sendable {
        let text: SourceText
        let bytes: UnsafeBufferPointer<UInt8>
    }
}
