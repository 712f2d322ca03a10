import Foundation
import Testing

@testable import SeatSources

/// The tail of a snapshot's customers array parsed on a second thread (`JSONArrayTail`): the tape must be the one a
/// single parse makes, whether the guessed offset is right or wrong, and errors must be the single parse's.
@Suite struct JSONArrayTailTests {
    /// A pretty-printed snapshot of `customers` customers of 40 users, over a megabyte from about 300 customers:
    /// ids with escapes, and line breaks written as LF, CR LF and CR alone, in both halves.
    static func snapshot(customers: Int) -> String {
        let breaks = ["\n", "\r\n", "\r"]
        let list = (0..<customers).map { customer in
            let users = (0..<40).map { user in
                let newline = breaks[(customer + user) % 3]
                return #"{"id": "u\u00\#(40 + user % 10)-\#(customer)@example.com", "roles": ["Editor"]}"# + newline
            }
            return #"{"customer": "c\#(customer)", "users": ["# + "\n" + users.joined(separator: ",    ") + "]}"
        }
        let half = customers / 2
        return #"{"format": "seat-snapshot", "version": 1, "generated_at": "2026-11-25T12:00:00Z", "sequence": 1,"#
            + "\n" + #""customers": ["# + "\n" + list[..<half].joined(separator: ",\n")
            + (half < customers ? ",\n" + list[half...].joined(separator: ",\n") : "") + "\n]}\n"
    }

    /// The document on `tape` as a reader walks it: every value in document order, with its kind, line, count of
    /// elements, and text.
    static func walk(_ tape: JSONTape) -> [String] {
        tape.withView { view in
            var values: [String] = []
            func visit(_ value: JSONTape.Value, into values: inout [String]) {
                let place = "\(view.kindName(value)) line \(view.line(value))"
                switch view.kind(value) {
                case .array:
                    values.append("\(place) count \(view.count(value)) empty \(view.isEmpty(value))")
                    for element in view.elements(value) { visit(element, into: &values) }
                case .object:
                    values.append("\(place) count \(view.count(value)) empty \(view.isEmpty(value))")
                    for member in view.members(value) {
                        visit(member.key, into: &values)
                        visit(member.value, into: &values)
                    }
                case .string:
                    values.append("\(place) \(view.string(value)) plain \(view.unescapedText(value) != nil)")
                default: values.append("\(place) \(view.lexeme(value))")
                }
            }
            visit(view.root, into: &values)
            return values
        }
    }

    /// Whether the tail from the guessed offset of `bytes` parses, onto storage of its own.
    static func tailParses(_ bytes: [UInt8]) -> Bool? {
        bytes.withUnsafeBufferPointer { pointer in
            JSONArrayTail.guess(in: pointer).map { offset in
                let room = JSONParser.room(forBytes: bytes.count - offset)
                let storage = JSONTapeStorage(capacity: room, large: true)
                return JSONParser.parseArrayTail(.bytes(bytes), pointer, from: offset, into: storage, at: 0) != nil
            }
        }
    }

    /// Parses `text` with and without the split. Returns the guessed offset, whether the tail there parses, and
    /// whether both tapes read as the same document.
    static func parseBothWays(_ text: String) throws -> (guess: Int?, tailParses: Bool, same: Bool) {
        let bytes = Array(text.utf8)
        let guess = bytes.withUnsafeBufferPointer { JSONArrayTail.guess(in: $0) }
        let split = try JSONParser.parse(.bytes(bytes))
        let single = try JSONParser.parse(.bytes(bytes), splitting: false)
        return (guess, tailParses(bytes) ?? false, walk(split) == walk(single))
    }

    /// Input: the snapshot above, 1.2 MB. Expected: a guess past the middle whose tail parses, and the same tape as
    /// one parse: lines, ends of containers and escaped strings all moved to their places.
    @Test func theTailSplicedIsWhatOneParseMakes() throws {
        let text = Self.snapshot(customers: 480)
        #expect(text.utf8.count > JSONArrayTail.minimumSize)
        let result = try Self.parseBothWays(text)
        #expect(result.guess.map { $0 > text.utf8.count / 2 } == true)
        #expect(result.tailParses)
        #expect(result.same)
    }

    /// Input: the 1.2 MB snapshot above, parsed with and without the split (which splices about half of the
    /// customers array from the other thread), and small documents with empty, nested and one-element containers.
    /// Expected: every array's count is the number of its elements, every object's the number of its members.
    @Test func containersKnowHowManyElementsTheyHold() throws {
        let documents = [
            Self.snapshot(customers: 480), "[]", "{}", #"[[], [[1]], {"a": [], "b": {"c": null}}, "x"]"#,
            #"{"k": [1, 2, 3], "l": {}}"#,
        ]
        for text in documents {
            for splitting in [true, false] {
                let tape = try JSONParser.parse(.bytes(Array(text.utf8)), splitting: splitting)
                tape.withView { view in
                    var containers = [view.root]
                    while let value = containers.popLast() {
                        switch view.kind(value) {
                        case .array:
                            let elements = Array(view.elements(value))
                            #expect(view.count(value) == elements.count, "array at entry \(value)")
                            containers += elements
                        case .object:
                            let members = Array(view.members(value))
                            #expect(view.count(value) == members.count, "object at entry \(value)")
                            containers += members.map(\.value)
                        default: break
                        }
                    }
                }
            }
        }
    }

    /// What parsing `bytes` gives, as text: the document walked, or the error.
    static func outcome(_ bytes: [UInt8], splitting: Bool) -> [String] {
        do {
            return walk(try JSONParser.parse(.bytes(bytes), splitting: splitting))
        } catch {
            return ["\(error)"]
        }
    }

    /// Where `values` first differ from `expected`, for a failure short enough to read; `nil` when they do not.
    static func firstDifference(_ values: [String], _ expected: [String]) -> String? {
        if let index = zip(values, expected).enumerated().first(where: { $0.element.0 != $0.element.1 })?.offset {
            return "value \(index): \(values[index]), expected \(expected[index])"
        }
        return values.count == expected.count ? nil : "\(values.count) values, expected \(expected.count)"
    }

    /// Input: the 1.2 MB snapshot with 1 to 3 random edits, 30 times over: a byte replaced, inserted or deleted, from
    /// the bytes JSON gives a meaning (brackets, braces, quotes, comma, colon, backslash, line breaks, a digit, a
    /// letter, a space), three in four past the middle, where the tail is parsed; seeded, so that a failure can be
    /// made again. Expected: each text parses with the split as it does without, to the same document or the same
    /// error; and some of the edited texts still parse.
    @Test func editedSnapshotsParseAsOneParseParsesThem() {
        var random = CSVTokenizerTests.SplitMix(seed: 7)
        let original = Array(Self.snapshot(customers: 480).utf8)
        let meaningful = Array(#"{}[],:"\0a "#.utf8) + [0x0A, 0x0D]
        var parsed = 0
        for _ in 0..<30 {
            var bytes = original
            for _ in 0...random.next(below: 3) {
                let half = random.next(below: 4) == 0 ? 0 : bytes.count / 2
                let position = half + random.next(below: bytes.count - half)
                let byte = meaningful[random.next(below: meaningful.count)]
                switch random.next(below: 3) {
                case 0: bytes[position] = byte
                case 1: bytes.insert(byte, at: position)
                default: bytes.remove(at: position)
                }
            }
            let single = Self.outcome(bytes, splitting: false)
            if single.count > 1 { parsed += 1 }
            #expect(Self.firstDifference(Self.outcome(bytes, splitting: true), single) == nil)
        }
        #expect(parsed >= 5)
    }

    /// A document of about 1.2 MB whose customers array, two levels deep, holds `customers` objects; `dense` zeros
    /// (an entry per two bytes) come first in the array `a` when `denseHead`, else in each customer of the second half.
    static func denseDocument(customers: Int, dense: Int, denseHead: Bool) -> String {
        let zeros = Array(repeating: "0", count: dense).joined(separator: ",")
        let list = (0..<customers).map { customer in
            customer >= customers / 2 && !denseHead
                ? #"{"customer": "c\#(customer)", "x": ["# + zeros + "]}"
                : #"{"customer": "c\#(customer)", "note": "\#(String(repeating: "n", count: 40))"}"#
        }
        let head = denseHead ? #""a": ["# + zeros + "], " : ""
        return "{" + head + #""b": [[0], ["# + list.joined(separator: ",") + "]]}"
    }

    /// Input: 300,000 zeros before a customers array of 12,000 objects, so the entries before the guessed offset
    /// outgrow the room the tail was placed after. Expected: the tail is dropped when the parser reaches it, the
    /// storage grows, and the tape reads as one parse's.
    @Test func aHeadThatOutgrowsItsRoomDropsTheTail() throws {
        let text = Self.denseDocument(customers: 12_000, dense: 300_000, denseHead: true)
        let bytes = Array(text.utf8)
        let guess = try #require(bytes.withUnsafeBufferPointer { JSONArrayTail.guess(in: $0) })
        #expect(JSONParser.room(forBytes: guess) < 300_000)
        let result = try Self.parseBothWays(text)
        #expect(result.tailParses)
        #expect(result.same)
    }

    /// Input: 8,000 customers, each of the second half holding 100 zeros, so the tail takes an entry per 2.2 bytes
    /// and outgrows its room. Expected: the tail does not parse, and the tape reads as one parse's.
    @Test func aTailThatOutgrowsItsRoomIsNotUsed() throws {
        let text = Self.denseDocument(customers: 8_000, dense: 100, denseHead: false)
        #expect(text.utf8.count > JSONArrayTail.minimumSize)
        let result = try Self.parseBothWays(text)
        #expect(result.guess != nil)
        #expect(!result.tailParses)
        #expect(result.same)
    }

    /// Input: a document of 1.1 MB whose second half is an array three levels deep of objects with a "customer" key, the
    /// last one nesting `levels` arrays.
    static func deepDocument(levels: Int) -> String {
        let shallow = (0..<50_000).map { #"{"customer": "c\#($0)"}"# }.joined(separator: ",")
        let nested = String(repeating: "[", count: levels) + String(repeating: "]", count: levels)
        return #"{"a": [1], "b": [[0], ["# + shallow + #", {"customer": "deep", "x": "# + nested + "}]]}"
    }

    /// Input: the document above with 60 and with 61 nested arrays, its deepest array at level 64 and 65. Expected:
    /// the guess lands in the array three levels deep and its tail parses both times (counted from level 2, it
    /// nests one level less), but the parser does not splice it there: the tape is the one parse's, and 61 levels
    /// are refused as one parse refuses them.
    @Test func aGuessDeeperThanTheCustomersIsDropped() throws {
        let result = try Self.parseBothWays(Self.deepDocument(levels: 60))
        #expect(result.guess != nil)
        #expect(result.tailParses)
        #expect(result.same)

        let bytes = Array(Self.deepDocument(levels: 61).utf8)
        #expect(bytes.count > JSONArrayTail.minimumSize)
        #expect(Self.tailParses(bytes) == true)
        func refusal(splitting: Bool) -> JSONSyntaxError? {
            do {
                _ = try JSONParser.parse(.bytes(bytes), splitting: splitting)
                return nil
            } catch {
                return error
            }
        }
        let single = try #require(refusal(splitting: false))
        #expect(refusal(splitting: true) == single)
        guard case .malformed(_, _, let problem) = single else { return }
        #expect(problem == "nested deeper than 64 levels")
    }

    /// Input: the 1.2 MB snapshot with a role written without quotes in its customer 300, past the middle.
    /// Expected: the tail there does not parse, and the error is the one a single parse gives, at the line of that
    /// role, counted across LF, CR LF and lone CR line breaks.
    @Test func anErrorInTheTailIsTheOneParsesError() throws {
        let text = Self.snapshot(customers: 480).replacingOccurrences(
            of: #"-300@example.com", "roles": ["Editor"]"#,
            with: #"-300@example.com", "roles": [Editor]"#
        )
        let bytes = Array(text.utf8)
        #expect(Self.tailParses(bytes) == false)
        let before = text.utf8.prefix(upTo: try #require(text.utf8.firstRange(of: "[Editor]".utf8)).lowerBound)
        let lineBreaks = before.indices.count { index in
            before[index] == 0x0A || (before[index] == 0x0D && before[before.index(after: index)] != 0x0A)
        }
        // The line's text is ASCII: its column is its byte count, then "[", then the role.
        let lineStart = before.lastIndex { $0 == 0x0A || $0 == 0x0D }.map { before.index(after: $0) }!
        let expected = JSONSyntaxError.malformed(
            line: lineBreaks + 1,
            column: before[lineStart...].count + 2,
            problem: "expected a JSON value"
        )
        #expect(throws: expected) { try JSONParser.parse(.bytes(bytes)) }
        #expect(throws: expected) { try JSONParser.parse(.bytes(bytes), splitting: false) }
    }
}
