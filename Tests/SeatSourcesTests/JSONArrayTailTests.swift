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

    /// Every entry of `tape` as text, and its unescaped strings.
    static func entries(_ tape: JSONTape) -> [String] {
        tape.entries.map { "\($0.start) \($0.end) \($0.line) \($0.kind) \($0.isEscaped) \($0.isASCII)" }
            + tape.unescaped
    }

    /// Parses `text` with and without the split. Returns the guessed offset, whether the tail there parses, and
    /// whether both tapes are the same.
    static func parseBothWays(_ text: String) throws -> (guess: Int?, tailParses: Bool, same: Bool) {
        let bytes = Array(text.utf8)
        let (guess, tailParses) = bytes.withUnsafeBufferPointer { pointer in
            let guess = JSONArrayTail.guess(in: pointer)
            return (guess, guess.map { JSONParser.parseArrayTail(bytes, pointer, from: $0) != nil } ?? false)
        }
        let split = try JSONParser.parse(bytes)
        let single = try JSONParser.parse(bytes, splitting: false)
        return (guess, tailParses, entries(split) == entries(single))
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
                let tape = try JSONParser.parse(Array(text.utf8), splitting: splitting)
                tape.withView { view in
                    for value in view.entries.indices where [.array, .object].contains(view.kind(value)) {
                        let expected =
                            view.kind(value) == .array
                            ? Array(view.elements(value)).count : Array(view.members(value)).count
                        #expect(view.count(value) == expected, "\(view.kindName(value)) at entry \(value)")
                    }
                }
            }
        }
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
        let tailParses = bytes.withUnsafeBufferPointer { pointer in
            JSONArrayTail.guess(in: pointer).map { JSONParser.parseArrayTail(bytes, pointer, from: $0) != nil }
        }
        #expect(tailParses == true)
        func refusal(splitting: Bool) -> JSONSyntaxError? {
            do {
                _ = try JSONParser.parse(bytes, splitting: splitting)
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
        let result = bytes.withUnsafeBufferPointer { pointer in
            JSONArrayTail.guess(in: pointer).map { JSONParser.parseArrayTail(bytes, pointer, from: $0) == nil }
        }
        #expect(result == true)
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
        #expect(throws: expected) { try JSONParser.parse(bytes) }
        #expect(throws: expected) { try JSONParser.parse(bytes, splitting: false) }
    }
}
