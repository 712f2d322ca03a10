/// A parsed JSON document as one flat array of its values in document order (a tape), each with the line it starts
/// on, so that errors and provenance can point into the file.
///
/// A container is followed by its elements, an object's as key, value, key, value, and records the entry after its
/// last one, so a reader steps over a value without visiting it. Strings stay in the text until asked for. A seat
/// snapshot is an object per user: as a tree of values, each user cost an allocation per object, array and key, and
/// the tree took twice the snapshot's own size in memory.
struct JSONTape: Sendable {
    /// A value on the tape: its position.
    typealias Value = Int

    enum Kind: UInt8, Sendable {
        case null, `false`, `true`, number, string, array, object
    }

    /// Sixteen bytes: a snapshot of 200,000 users is about 1,800,000 entries. Offsets and lines fit in 32 bits
    /// because the parser takes no text of ``JSONParser/maximumSize`` or more.
    struct Entry: Sendable {
        /// A string's first byte after its opening quote; a number's first byte; a container's number of elements
        /// (of members, for an object), so that a reader sizes what it builds without walking them first.
        var start: UInt32
        /// A string without escapes or a number: where it ends in the text. A string with escapes: the index of its
        /// text in `unescaped`. A container: the entry after its last element.
        var end: UInt32
        /// For an entry of a spliced tail, counted from the tail's offset (``Splice``).
        var line: UInt32
        var kind: Kind
        var isEscaped = false
        /// Whether a string is ASCII, so that comparing its bytes compares it as `String` does.
        var isASCII = true
        /// Whether a string without escapes is printable ASCII (0x20 to 0x7E): it holds no control character, and
        /// its only whitespace is spaces.
        var isPrintable = false

        /// The entry after this one, at `position`, and everything it holds.
        func after(_ position: Int) -> Int {
            switch kind {
            case .array, .object: return Int(end)
            default: return position + 1
            }
        }

        /// The UTF-8 of a string written without escapes in ASCII, in `text`: comparing those bytes compares the
        /// string as `String` does. `nil` for any other string.
        func asciiText(in text: UnsafeBufferPointer<UInt8>) -> UnsafeBufferPointer<UInt8>? {
            guard !isEscaped, isASCII else { return nil }
            return UnsafeBufferPointer(rebasing: text[Int(start)..<Int(end)])
        }
    }

    /// Where the tail of an array parsed on another thread (``JSONArrayTail``) went onto the tape, in place.
    ///
    /// Its entries keep the lines the tail counted, from 1 at its offset, and indices into the tail's own list of
    /// escaped strings; a ``View`` moves both when it reads them. The entries in `gap`, between the last element the
    /// parser made before the tail and the tail's first, were never written: the array steps over them.
    struct Splice: Sendable {
        let gap: Range<Int>
        let lineBase: Int
        let unescapedBase: Int
    }

    let text: SourceText
    let storage: JSONTapeStorage
    /// How many entries are in use, the splice's gap included.
    var count = 0
    /// The text of strings that hold escapes, as the escapes say.
    var unescaped: [String] = []
    var splice: Splice?

    /// Calls `body` with a view of the tape, valid only during the call.
    ///
    /// The view reads the tape's arrays through pointers: the values a reader makes while it walks a snapshot
    /// (an object's fields, an array's elements) each held the tape's three arrays, which cost a retain and a
    /// release of each per object; with customers read on two threads, the two cores fought over those counts.
    func withView<Result>(_ body: (View) throws -> Result) rethrows -> Result {
        try withExtendedLifetime(storage) {
            try text.withBytes { text in
                try unescaped.withUnsafeBufferPointer { unescaped in
                    let entries = UnsafeBufferPointer(start: storage.entries, count: count)
                    return try body(View(text: text, entries: entries, unescaped: unescaped, splice: splice))
                }
            }
        }
    }

    /// The tape read through pointers: see ``withView(_:)``.
    ///
    /// `@unchecked Sendable`: a view only reads, and ``withView(_:)`` keeps the tape alive and unchanged for as
    /// long as the view exists, so threads may share one (the snapshot's customers are read on two).
    struct View: @unchecked Sendable {
        let text: UnsafeBufferPointer<UInt8>
        let entries: UnsafeBufferPointer<Entry>
        let unescaped: UnsafeBufferPointer<String>
        /// The splice's gap and the tail's first entry (``Splice``); without a splice, positions no value has.
        private let gapStart: Int
        private let tailStart: Int
        private let lineBase: Int
        private let unescapedBase: Int

        init(
            text: UnsafeBufferPointer<UInt8>,
            entries: UnsafeBufferPointer<Entry>,
            unescaped: UnsafeBufferPointer<String>,
            splice: Splice?
        ) {
            self.text = text
            self.entries = entries
            self.unescaped = unescaped
            gapStart = splice?.gap.lowerBound ?? -1
            tailStart = splice?.gap.upperBound ?? Int.max
            lineBase = splice?.lineBase ?? 0
            unescapedBase = splice?.unescapedBase ?? 0
        }

        /// The document's own value.
        var root: Value { 0 }

        func kind(_ value: Value) -> Kind { entries[value].kind }

        func line(_ value: Value) -> Int { Int(entries[value].line) + (value >= tailStart ? lineBase : 0) }

        /// The text of the escaped string `value`.
        private func unescapedString(_ value: Value) -> String {
            unescaped[Int(entries[value].end) + (value >= tailStart ? unescapedBase : 0)]
        }

        /// The number of elements of the array `value`, or of members of the object `value`.
        ///
        /// Counted by the parser: counting a customer's users by stepping from one to the next was a third of
        /// reading them, each step a cache miss that nothing overlapped.
        func count(_ value: Value) -> Int { Int(entries[value].start) }

        /// Whether the array or object `value` holds nothing. By its count: a streamed array's elements are not on
        /// the tape (``JSONArrayConsumer``).
        func isEmpty(_ value: Value) -> Bool { entries[value].start == 0 }

        /// What kind of value this is, as an error message names it.
        func kindName(_ value: Value) -> String {
            switch entries[value].kind {
            case .null: return "null"
            case .false, .true: return "a boolean"
            case .number: return "a number"
            case .string: return "a string"
            case .array: return "an array"
            case .object: return "an object"
            }
        }

        /// The entry after `value` and everything it holds.
        func after(_ value: Value) -> Value { entries[value].after(value) }

        /// The string `value` holds.
        func string(_ value: Value) -> String {
            let entry = entries[value]
            if entry.isEscaped { return unescapedString(value) }
            return String(
                decoding: UnsafeBufferPointer(rebasing: text[Int(entry.start)..<Int(entry.end)]),
                as: UTF8.self
            )
        }

        /// The UTF-8 of the string `value` holds when it is written without escapes; `nil` for an escaped string or
        /// any other value.
        func unescapedText(_ value: Value) -> UnsafeBufferPointer<UInt8>? {
            let entry = entries[value]
            guard entry.kind == .string, !entry.isEscaped else { return nil }
            return UnsafeBufferPointer(rebasing: text[Int(entry.start)..<Int(entry.end)])
        }

        /// The UTF-8 of the string `value` holds when it is written without escapes in printable ASCII (see
        /// ``Entry/isPrintable``); `nil` for any other string or value.
        func printableText(_ value: Value) -> UnsafeBufferPointer<UInt8>? {
            let entry = entries[value]
            guard entry.kind == .string, entry.isPrintable else { return nil }
            return UnsafeBufferPointer(rebasing: text[Int(entry.start)..<Int(entry.end)])
        }

        /// The number `value` holds, as written.
        func lexeme(_ value: Value) -> String {
            String(decoding: text[Int(entries[value].start)..<Int(entries[value].end)], as: UTF8.self)
        }

        /// Whether the string `value` equals `other` as `String` compares them.
        func string(_ value: Value, equals other: Value) -> Bool {
            guard let left = entries[value].asciiText(in: text), let right = entries[other].asciiText(in: text) else {
                return string(value) == string(other)
            }
            return ByteComparison.equal(left, right)
        }

        /// Whether the string `value` is `key`, an ASCII object key the reader knows.
        ///
        /// By `memcmp`: byte by byte, comparing each user's keys was a tenth of reading a snapshot's users.
        func string(_ value: Value, is key: StaticString) -> Bool {
            let entry = entries[value]
            let expected = UnsafeBufferPointer(start: key.utf8Start, count: key.utf8CodeUnitCount)
            if entry.isEscaped { return unescapedString(value).utf8.elementsEqual(expected) }
            let bytes = UnsafeBufferPointer(rebasing: text[Int(entry.start)..<Int(entry.end)])
            return ByteComparison.equal(bytes, expected)
        }

        /// The elements of the array `value`.
        func elements(_ value: Value) -> Elements {
            Elements(tape: self, position: value + 1, end: Int(entries[value].end))
        }

        /// The members of the object `value`, as the positions of each key and its value.
        func members(_ value: Value) -> Members {
            Members(elements: elements(value))
        }

        /// The members of the object `value` that come before the entry `end`: while an object is being parsed, the
        /// members read so far.
        func members(of value: Value, before end: Value) -> Members {
            Members(elements: Elements(tape: self, position: value + 1, end: end))
        }

        struct Elements: Sequence, IteratorProtocol {
            let tape: View
            var position: Value
            let end: Value

            mutating func next() -> Value? {
                guard position < end else { return nil }
                if position == tape.gapStart { position = tape.tailStart }
                defer { position = tape.after(position) }
                return position
            }
        }

        struct Members: Sequence, IteratorProtocol {
            var elements: Elements

            mutating func next() -> (key: Value, value: Value)? {
                guard let key = elements.next(), let value = elements.next() else { return nil }
                return (key, value)
            }
        }
    }
}
