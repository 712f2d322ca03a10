import Foundation
import TextRules

/// Reads a parsed seat-snapshot document (README, "How a pass works"; docs/design.md) into a ``SourceReading``.
///
/// Every refusal names the JSON path and line of the offending value. Unknown keys are ignored so that
/// writers can add fields; anything the format does define must have the documented type.
struct SnapshotDecoder {
    static let format = "seat-snapshot"
    static let version = 1

    let tape: JSONTape.View
    let file: String
    /// Whether inactive users and users without a mapped role are kept as ``SkippedUser``s, and each grant's
    /// provenance names its user's JSON path (`explain` only): a path per user was a fifth of reading a snapshot,
    /// and only an explanation shows it. Otherwise a grant's provenance is its file and line.
    var keepsExplanations = false

    /// Reads the document, whose customers `customers` took as they were parsed.
    /// - Throws: ``SnapshotError``, or ``SourceFileError/empty(file:)`` for no customers without `allowEmpty`.
    func decode(
        source: String,
        lastAppliedSequence: Int?,
        allowEmpty: Bool,
        customers: SnapshotCustomerStream
    ) throws -> SourceReading {
        let root = tape.root
        let document = try members(root, path: "")
        // Format and version first: a file of another version may differ in any other way.
        let format = try string(required("format", in: document, of: root, path: ""), path: "format")
        guard format == Self.format else {
            throw invalid(
                document["format"]!,
                "format",
                "expected \"\(Self.format)\", found \"\(InputExcerpt.quote(format))\""
            )
        }
        let version = try integer(required("version", in: document, of: root, path: ""), path: "version")
        guard version == Self.version else { throw SnapshotError.unsupportedVersion(file: file, version: version) }
        let sequence = try count(required("sequence", in: document, of: root, path: ""), path: "sequence")
        if let lastAppliedSequence, sequence < lastAppliedSequence {
            throw SnapshotError.replay(file: file, sequence: sequence, lastApplied: lastAppliedSequence)
        }
        let generatedAt = try date(required("generated_at", in: document, of: root, path: ""), path: "generated_at")

        var reading = SourceReading(source: source, file: file, sequence: sequence, generatedAt: generatedAt)
        let customersNode = try required("customers", in: document, of: root, path: "")
        // An array under that key is the one the parser streamed into `customers`.
        _ = try array(customersNode, path: "customers")
        let decoded = try customers.finish()
        // Room made first: growing the dictionary moved every customer's facts again (this step on the benchmark's
        // snapshot: 2.9 -> 2.3 ms).
        reading.customers.reserveCapacity(decoded.customers.count)
        for customer in decoded.customers {
            reading.customers[customer.id] = customer.facts
            if !customer.skipped.isEmpty { reading.skippedUsers[customer.id] = customer.skipped }
        }
        reading.unmappedRoles = decoded.unmapped
        if tape.isEmpty(customersNode) && !allowEmpty { throw SourceFileError.empty(file: file) }
        return reading
    }

    /// The id of the customer at `node`, the node that holds it, and the customer's fields.
    func customerID(
        _ node: JSONTape.Value,
        path: String
    ) throws -> (id: String, node: JSONTape.Value, fields: JSONFields) {
        let fields = try members(node, path: path)
        let idNode = try required("customer", in: fields, of: node, path: path)
        return (try identifier(idNode, path: path + ".customer"), idNode, fields)
    }

    /// The refusal of customer `index`, whose id, on `line`, is that of customer `first` too.
    static func repeatedCustomer(_ id: String, file: String, line: Int, index: Int, first: Int) -> SnapshotError {
        .invalid(
            file: file,
            line: line,
            path: "customers[\(index)].customer",
            problem: "customer \"\(InputExcerpt.quote(id))\" is also at customers[\(first)]"
        )
    }

    /// What the customer at `node`, whose fields are `fields`, lists: users or counts.
    func customerFacts(
        _ fields: JSONFields,
        of node: JSONTape.Value,
        path: String,
        roleCells: inout RoleCells,
        skipped: inout [SkippedUser]
    ) throws -> CustomerFacts {
        switch (fields["users"], fields["counts"]) {
        case (.some, .some):
            throw invalid(node, path, "has both users and counts (a customer has one or the other)")
        case (.none, .none):
            throw invalid(node, path, "has neither users nor counts")
        case (.some(let users), .none):
            return try userFacts(users, path: path + ".users", roleCells: &roleCells, skipped: &skipped)
        case (.none, .some(let counts)):
            var facts = CustomerFacts()
            for member in try objectMembers(counts, path: path + ".counts") {
                let key = tape.string(member.key)
                // The key is input: quoted, so that a path in an error or a provenance cannot carry a control character.
                let countPath = path + ".counts." + InputExcerpt.quote(key)
                let feature = key.trimmingASCIIWhitespace()
                guard !feature.isEmpty else { throw invalid(member.value, countPath, "empty feature code") }
                try refuseControls(feature, in: member.value, path: countPath)
                if let first = facts.counts[feature] {
                    throw invalid(
                        member.value,
                        countPath,
                        "feature \"\(InputExcerpt.quote(feature))\" is also counted at \(first.at.detail ?? "line \(first.at.line)")"
                    )
                }
                facts.counts[feature] = CountFact(
                    count: try count(member.value, path: countPath),
                    at: Provenance(file: file, line: tape.line(member.value), detail: countPath)
                )
            }
            return facts
        }
    }

    /// Reads a customer's users. A user whose id and roles are strings without escapes (almost every user) is read
    /// in the text itself, with nothing allocated: making a `String` of every id and role, and mapping each role,
    /// was most of the time reading a snapshot's users took.
    private func userFacts(
        _ node: JSONTape.Value,
        path: String,
        roleCells: inout RoleCells,
        skipped: inout [SkippedUser]
    ) throws -> CustomerFacts {
        let userNodes = try array(node, path: path)
        var ledger = SnapshotUserLedger(listed: tape.count(node))
        let filePlace = ledger.placeNumber(file: file, detail: nil)
        for (index, userNode) in userNodes.enumerated() {
            // Paths are built only for an error or an explanation: a snapshot lists a user per entry.
            func userPath() -> String { "\(path)[\(index)]" }
            var (idNode, rolesNode, activeNode): (JSONTape.Value?, JSONTape.Value?, JSONTape.Value?)
            for member in try objectMembers(userNode, path: userPath()) {
                if tape.string(member.key, is: "id") {
                    idNode = member.value
                } else if tape.string(member.key, is: "roles") {
                    rolesNode = member.value
                } else if tape.string(member.key, is: "active") {
                    activeNode = member.value
                }
            }
            guard let idNode else { throw invalid(userNode, userPath(), "missing \"id\"") }
            // A value of `active` that is not a boolean is refused below, after the roles are checked.
            let isActive = activeNode.map { tape.kind($0) != .false } ?? true
            let (user, earlier) = try withIdentifier(idNode, path: userPath() + ".id") { id in
                ledger.enter(id, isActive: isActive, index: index)
            }
            if let earlier {
                let id = try identifier(idNode, path: userPath() + ".id")
                throw invalid(
                    idNode,
                    userPath() + ".id",
                    "user \"\(InputExcerpt.quote(id))\" is also at \(path)[\(earlier)]"
                )
            }
            guard let rolesNode else { throw invalid(userNode, userPath(), "missing \"roles\"") }
            let line = tape.line(userNode)
            // A provenance only for an explanation: each one retained the file's name, a count both threads
            // reading users updated for every user.
            let detail = keepsExplanations ? userPath() : nil
            let place = isActive && keepsExplanations ? ledger.placeNumber(file: file, detail: detail) : filePlace
            var isGranted = false
            for (roleIndex, roleNode) in try array(rolesNode, path: userPath() + ".roles").enumerated() {
                try withRole(roleNode, path: "\(userPath()).roles[\(roleIndex)]") { role in
                    // Inactive users take no seat; their roles are checked all the same, so a broken writer is
                    // noticed early. A read that fails later (an `active` that is no boolean) keeps nothing.
                    guard isActive, !role.isEmpty else { return }
                    if let feature = roleCells.feature(of: role).feature {
                        ledger.grant(user, feature: feature, place: place, line: line)
                        isGranted = true
                    } else {
                        roleCells.countUnmapped(role)
                    }
                }
            }
            if let activeNode { _ = try bool(activeNode, path: userPath() + ".active") }
            guard keepsExplanations, !isActive || !isGranted else { continue }
            let id = try identifier(idNode, path: userPath() + ".id")
            let at = Provenance(file: file, line: line, detail: detail)
            if !isActive {
                skipped.append(SkippedUser(id: id, at: at, reason: .inactive))
            } else {
                let roleValues = tape.elements(rolesNode).map { tape.string($0) }
                skipped.append(SkippedUser(id: id, at: at, reason: .noMappedRole(roleValues.joined(separator: ", "))))
            }
        }
        return ledger.facts
    }

    /// Calls `body` with the UTF-8 of the identifier at `node`, as ``identifier(_:path:)`` reads it.
    private func withIdentifier<Result>(
        _ node: JSONTape.Value,
        path: @autoclosure () -> String,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        if let text = plainTrimmedText(node), !text.isEmpty { return try body(text) }
        var id = try identifier(node, path: path())
        return try id.withUTF8(body)
    }

    /// Calls `body` with the UTF-8 of the role at `node`, trimmed, once it is checked to be a string without a
    /// control character; it may be empty.
    private func withRole<Result>(
        _ node: JSONTape.Value,
        path: @autoclosure () -> String,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) throws -> Result {
        if let text = plainTrimmedText(node) { return try body(text) }
        let role = try string(node, path: path())
        try refuseControls(role, in: node, path: path())
        var trimmed = role.trimmingASCIIWhitespace()
        return try trimmed.withUTF8(body)
    }

    /// The string at `node` as `trimmingASCIIWhitespace()` leaves it, in the text, when it is a string without
    /// escapes and without control characters; `nil` for any other value, which the caller reads as a `String`.
    private func plainTrimmedText(_ node: JSONTape.Value) -> UnsafeBufferPointer<UInt8>? {
        // Almost every id and role: no control character to look for, and spaces the only whitespace to trim.
        if let text = tape.printableText(node), text.first != ASCIIByte.space, text.last != ASCIIByte.space {
            return text
        }
        guard let text = tape.unescapedText(node) else { return nil }
        let trimmed = ASCIIByte.trimmed(text)
        // A space followed by a combining mark is one character, which `trimmingASCIIWhitespace()` keeps whole.
        if trimmed.baseAddress != text.baseAddress, let first = trimmed.first, first >= 0x80 { return nil }
        guard IdentifierText.firstControl(in: trimmed) == nil else { return nil }
        return trimmed
    }

    private func required(
        _ key: StaticString,
        in fields: JSONFields,
        of node: JSONTape.Value,
        path: @autoclosure () -> String
    ) throws
        -> JSONTape.Value
    {
        guard let value = fields[key] else { throw invalid(node, path(), "missing \"\(key)\"") }
        return value
    }

    private func objectMembers(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> JSONTape.View.Members
    {
        guard tape.kind(node) == .object else {
            throw invalid(node, path(), "expected an object, found \(tape.kindName(node))")
        }
        return tape.members(node)
    }

    private func members(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> JSONFields {
        JSONFields(tape: tape, members: try objectMembers(node, path: path()))
    }

    private func array(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> JSONTape.View.Elements {
        guard tape.kind(node) == .array else {
            throw invalid(node, path(), "expected an array, found \(tape.kindName(node))")
        }
        return tape.elements(node)
    }

    private func string(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> String {
        guard tape.kind(node) == .string else {
            throw invalid(node, path(), "expected a string, found \(tape.kindName(node))")
        }
        return tape.string(node)
    }

    private func nonEmptyString(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> String {
        let text = try string(node, path: path()).trimmingASCIIWhitespace()
        guard !text.isEmpty else { throw invalid(node, path(), "empty string") }
        return text
    }

    /// A customer or user id: a non-empty string without control characters.
    private func identifier(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> String {
        let text = try nonEmptyString(node, path: path())
        try refuseControls(text, in: node, path: path())
        return text
    }

    private func refuseControls(_ text: String, in node: JSONTape.Value, path: @autoclosure () -> String) throws {
        guard let control = IdentifierText.firstControl(in: text) else { return }
        throw invalid(
            node,
            path(),
            "control character \(IdentifierText.name(control)) in \"\(InputExcerpt.quote(text))\""
        )
    }

    private func bool(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> Bool {
        switch tape.kind(node) {
        case .true: return true
        case .false: return false
        default: throw invalid(node, path(), "expected true or false, found \(tape.kindName(node))")
        }
    }

    private func integer(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> Int {
        guard tape.kind(node) == .number else {
            throw invalid(node, path(), "expected a whole number, found \(tape.kindName(node))")
        }
        let lexeme = tape.lexeme(node)
        guard let value = Int(lexeme) else {
            let digits = lexeme.hasPrefix("-") ? lexeme.dropFirst() : lexeme[...]
            let tooLarge = digits.allSatisfy { $0.isASCII && $0.isNumber }
            let shown = InputExcerpt.quote(lexeme)
            throw invalid(node, path(), tooLarge ? "\(shown) is too large" : "expected a whole number, found \(shown)")
        }
        return value
    }

    /// A non-negative whole number no larger than ``SeatCount/largest``.
    private func count(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> Int {
        let value = try integer(node, path: path())
        guard value >= 0 else { throw invalid(node, path(), "\(value) is negative") }
        guard value <= SeatCount.largest else { throw invalid(node, path(), "\(value) is too large") }
        return value
    }

    private func date(_ node: JSONTape.Value, path: @autoclosure () -> String) throws -> Date {
        let text = try string(node, path: path())
        if let date = DateTimeText.parse(text) { return date }
        throw invalid(
            node,
            path(),
            "expected an ISO-8601 date-time such as 2026-11-25T12:00:00Z, found \"\(InputExcerpt.quote(text))\""
        )
    }

    private func invalid(_ node: JSONTape.Value, _ path: String, _ problem: String) -> SnapshotError {
        .invalid(file: file, line: tape.line(node), path: path, problem: problem)
    }
}

/// An object's members looked up by key. A snapshot's objects hold a handful of members, which a scan finds sooner
/// than a hash table is built.
struct JSONFields {
    let tape: JSONTape.View
    let members: JSONTape.View.Members

    subscript(key: StaticString) -> JSONTape.Value? {
        members.first { tape.string($0.key, is: key) }?.value
    }
}
