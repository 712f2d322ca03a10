/// Reads the logical lines of an LDIF export record by record into an ``LDIFDirectory``, keeping only what group
/// resolution needs: group names, customers and members, and the ids and disabled flag of user entries.
///
/// Every DN is normalised here, and numbered, or held to be numbered if needed, on a second thread
/// (``LDIFNameBatch``). On the benchmark's LDIF of 1,000,000 member values the second thread took check-config from
/// 0.74 to 0.53 s, on the many-groups LDIF from 0.84 to 0.69 s (medians of nine alternating runs): this thread's
/// own work, splitting lines and checking attributes, and the resolution after it remain.
struct LDIFRecordReader: LDIFLineSink {
    /// The file name used in errors.
    let file: String
    /// Numbers the DNs and files the records into the directory, on a second thread.
    private let filing: BatchWorker<LDIFNameBatch, LDIFFiling>
    /// DNs and record ends not yet handed to `filing`.
    private var batch = LDIFNameBatch()
    /// The line of the first record with a DN, kept or not.
    private var firstEntryLine: Int?
    private var vocabulary: LDIFVocabulary
    private let mapping: LDIFGroupMapping
    private var normalizer = DNNormalizer()
    private var decoded: [UInt8] = []
    private var record = Record()
    private var isFirstLineOfFile = true

    /// The record being read.
    private struct Record {
        /// Set by the `dn:` line.
        var entry: LDIFEntry?
        /// Logical lines so far, not counting a `version:` line.
        var lineCount = 0
        /// A record whose first line is not `dn:`: an `ldapsearch` search reference or trailer.
        var isDNLess = false
        /// A 389-ds tombstone: a deleted entry kept for replication.
        var isTombstone = false
        /// A 389-ds replication conflict entry: a second entry a replica made for a DN added on two servers at once.
        var isConflict = false
        var hasUserFacts = false
        /// The first name or customer value holding a control character: an error if the entry is a group, which
        /// is known only at the end of the record.
        var groupValueError: LDIFError?
    }

    private static let rangeOption = Array("range=".utf8)
    private static let deletedOption = Array("deleted".utf8)
    private static let deletionCSNOption = Array("vdcsn-".utf8)

    init(file: String, options: LDIFOptions) {
        self.file = file
        let customerAttribute: String?
        if case .attribute(let name) = options.customer { customerAttribute = name } else { customerAttribute = nil }
        vocabulary = LDIFVocabulary(userIDAttribute: options.userIDAttribute, customerAttribute: customerAttribute)
        mapping = LDIFGroupMapping(options)
        filing = BatchWorker(LDIFFiling(file: file, mapping: mapping), batchesInFlight: 4) { batch, filing in
            batch.apply(to: &filing)
        }
    }

    mutating func line(_ line: UnsafeBufferPointer<UInt8>, number: Int) throws {
        let attribute = try LDIFAttributeLine(parsing: line, file: file, number: number)
        if attribute.encoding == .url {
            throw LDIFError.urlValue(file: file, line: number, attribute: attribute.attributeDescription(in: line))
        }
        var roles = vocabulary.roles(of: attribute, in: line)
        let isFirstLineOfFile = self.isFirstLineOfFile
        self.isFirstLineOfFile = false
        if roles.contains(.version) && isFirstLineOfFile {
            let version = try text(UnsafeBufferPointer(rebasing: line[attribute.value]), attribute, line, number)
            guard version == "1" else { throw LDIFError.unsupportedVersion(file: file, line: number, version: version) }
            return
        }
        defer { record.lineCount += 1 }
        if record.lineCount == 0 && !roles.contains(.dn) { record.isDNLess = true }
        if record.isDNLess {
            roles.formIntersection([.dn, .result])
        } else {
            roles.subtract([.version, .result])
        }
        if !roles.isDisjoint(with: .counted), !attribute.options.isEmpty {
            if let range = attribute.option(startingWith: Self.rangeOption, in: line) {
                throw LDIFError.rangedAttribute(
                    file: file,
                    line: number,
                    attribute: LDIFAttributeLine.text(line[attribute.type]),
                    option: LDIFAttributeLine.text(line[range])
                )
            }
            // 389-ds replication dumps keep deleted values, marked so; they are not members any more.
            if attribute.option(startingWith: Self.deletedOption, in: line) != nil
                || attribute.option(startingWith: Self.deletionCSNOption, in: line) != nil
            {
                return
            }
        }

        if !roles.isEmpty, let bytes = Self.oversizedLength(of: attribute, in: line) {
            throw tooLong(attribute, line, number, bytes: bytes)
        }
        guard attribute.encoding == .base64 else {
            if !roles.isEmpty {
                try take(roles, value: UnsafeBufferPointer(rebasing: line[attribute.value]), attribute, line, number)
            }
            return
        }
        // Base64 is checked even on attributes the reader ignores: a broken one means a broken file.
        var buffer: [UInt8] = []
        swap(&buffer, &decoded)
        defer { swap(&buffer, &decoded) }
        buffer.removeAll(keepingCapacity: true)
        guard LDIFBase64.decode(UnsafeBufferPointer(rebasing: line[attribute.value]), into: &buffer) else {
            throw LDIFError.badBase64(file: file, line: number, attribute: attribute.attributeDescription(in: line))
        }
        if !roles.isEmpty {
            try buffer.withUnsafeBufferPointer { try take(roles, value: $0, attribute, line, number) }
        }
    }

    /// The length of the value once decoded, when it is over ``InputLimits/maxValueBytes``; worked out from the
    /// base64 text, so that a huge value is refused before it is decoded.
    private static func oversizedLength(of attribute: LDIFAttributeLine, in line: UnsafeBufferPointer<UInt8>) -> Int? {
        var length = attribute.value.count
        if attribute.encoding == .base64 {
            var end = attribute.value.upperBound
            while end > attribute.value.lowerBound, line[end - 1] == ASCIIByte.space { end -= 1 }
            let padding = line[attribute.value.lowerBound..<end].suffix(2).filter { $0 == UInt8(ascii: "=") }.count
            length = (end - attribute.value.lowerBound) / 4 * 3 - padding
        }
        return length > InputLimits.maxValueBytes ? length : nil
    }

    private func tooLong(
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int,
        bytes: Int
    ) -> LDIFError {
        .valueTooLong(file: file, line: number, attribute: attribute.attributeDescription(in: line), bytes: bytes)
    }

    /// Hands over what was read, for resolution, once the second thread has filed it.
    /// - Throws: the first error the second thread found: ``LDIFError/repeatedDN(file:line:dn:firstLine:)`` for a
    ///   record whose DN an earlier one had.
    mutating func finish() throws -> LDIFDirectory {
        var filed = handOverAndWait()
        if let error = filed.error { throw error }
        var directory = filed.finish()
        directory.firstEntryLine = firstEntryLine
        directory.finishReading()
        return directory
    }

    /// The error to report when reading stopped at `error`: an error the second thread found is about a record
    /// before the one reading stopped in, so it comes first.
    mutating func firstError(readingStoppedAt error: any Error) -> any Error {
        handOverAndWait().error ?? error
    }

    private mutating func handOverAndWait() -> LDIFFiling {
        if !batch.isEmpty { filing.put(&batch) }
        return filing.finish(leaving: LDIFFiling(file: file, mapping: mapping))
    }

    mutating func endOfRecord() throws {
        // Every record ends in the batch as kept, a conflict or dropped, so that its member values go with it.
        var kept: LDIFEntry?
        var isSkippedConflict = false
        defer {
            if let kept {
                batch.keep(kept)
            } else if !isSkippedConflict {
                batch.drop()
            }
            record = Record()
            if batch.isFull { filing.put(&batch) }
        }
        guard var entry = record.entry, !record.isTombstone else { return }
        if record.isConflict {
            batch.skipConflict(SourceNote.Item(entry.dn, lines: [entry.line]))
            isSkippedConflict = true
            return
        }
        guard entry.isGroup || record.hasUserFacts else { return }
        if entry.isGroup, let error = record.groupValueError { throw error }
        if !entry.isGroup {
            // Only a group's names and customer are ever looked at; a user's would only take memory.
            entry.names = []
            entry.customerValues = []
        }
        kept = entry
    }

    /// Acts on one value of an attribute the reader uses.
    private mutating func take(
        _ roles: LDIFRoles,
        value: UnsafeBufferPointer<UInt8>,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) throws {
        if roles.contains(.dn) {
            guard record.lineCount == 0 else { throw LDIFError.misplacedDN(file: file, line: number) }
            let dn = try text(value, attribute, line, number)
            try normalize(value, attribute, line, number)
            normalizer.output.withUnsafeBufferPointer { batch.addEntryDN($0) }
            record.isConflict = normalizer.output.withUnsafeBufferPointer(Self.isReplicationConflict)
            record.entry = LDIFEntry(dn: dn, line: number)
            if firstEntryLine == nil { firstEntryLine = number }
            return
        }
        if roles.contains(.result) {
            let result = try text(value, attribute, line, number)
            guard result.split(separator: " ", maxSplits: 1).first == "0" else {
                throw LDIFError.incompleteSearch(file: file, line: number, result: result)
            }
            return
        }
        if roles.contains(.changeType) {
            let changeType = try text(value, attribute, line, number)
            guard changeType.lowercased() == "add" else {
                throw LDIFError.changeRecord(file: file, line: number, changeType: changeType)
            }
        }
        if roles.contains(.objectClass) { try takeObjectClass(value, attribute, line, number) }
        if roles.contains(.cn) {
            let name = try text(value, attribute, line, number)
            checkGroupValue(name, attribute, line, number)
            // An empty `cn:` names no group; the group goes by the cn of its RDN, as one without cn values does.
            if !name.isEmpty { record.entry?.names.append(name) }
        }
        if roles.contains(.customer) {
            let customer = try text(value, attribute, line, number)
            checkGroupValue(customer, attribute, line, number)
            record.entry?.customerValues.append(customer)
        }
        if !roles.isDisjoint(with: [.member, .uniqueMember]) {
            record.entry?.isGroup = true
            try takeMember(value, stripUniqueID: roles.contains(.uniqueMember), attribute, line, number)
        }
        if roles.contains(.memberUid) {
            record.entry?.isGroup = true
            let uid = try identifier(value, attribute, line, number)
            if !uid.isEmpty { record.entry?.memberUids.append(uid) }
        }
        if roles.contains(.memberURL) {
            record.entry?.isGroup = true
            record.entry?.isDynamic = true
        }
        try takeUserFacts(roles, value, attribute, line, number)
    }

    private mutating func takeUserFacts(
        _ roles: LDIFRoles,
        _ value: UnsafeBufferPointer<UInt8>,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) throws {
        // An empty id names nobody: two users with `mail:` empty are not one user called "". Such an entry counts
        // by its DN, as one without the attribute does.
        if roles.contains(.userID), record.entry?.userID == nil {
            let userID = try identifier(value, attribute, line, number)
            if !userID.isEmpty { record.entry?.userID = userID }
            record.hasUserFacts = true
        }
        if roles.contains(.uid) {
            let uid = try identifier(value, attribute, line, number)
            if !uid.isEmpty { record.entry?.uids.append(uid) }
            record.hasUserFacts = true
        }
        if roles.contains(.uidNumber), record.entry?.uidNumber == nil {
            let uidNumber = try identifier(value, attribute, line, number)
            record.entry?.uidNumber = uidNumber
            record.hasUserFacts = true
        }
        if roles.contains(.userAccountControl) {
            let flags = try text(value, attribute, line, number)
            guard let bits = Int64(flags) else {
                throw LDIFError.notANumber(file: file, line: number, attribute: "userAccountControl", value: flags)
            }
            // ADS_UF_ACCOUNTDISABLE
            if bits & 0x2 != 0 { record.entry?.isDisabled = true }
            record.hasUserFacts = true
        }
        if roles.contains(.primaryGroupID) {
            let id = try text(value, attribute, line, number)
            guard let groupID = UInt32(id) else {
                throw LDIFError.notANumber(file: file, line: number, attribute: "primaryGroupID", value: id)
            }
            record.entry?.primaryGroupID = groupID
            record.hasUserFacts = true
        }
        if roles.contains(.objectSid) { record.entry?.relativeID = Self.relativeID(ofSID: value) }
    }

    private mutating func takeObjectClass(
        _ value: UnsafeBufferPointer<UInt8>,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) throws {
        switch try text(value, attribute, line, number).lowercased() {
        case "groupofnames", "groupofuniquenames", "posixgroup", "group", "groupofmembers":
            record.entry?.isGroup = true
        case "groupofurls":
            record.entry?.isGroup = true
            record.entry?.isDynamic = true
        case "nstombstone":
            record.isTombstone = true
        default:
            break
        }
    }

    /// A `member` or `uniqueMember` value. An empty value is the placeholder that `groupOfNames` needs when a group
    /// has no members; it names nobody. A `uniqueMember` may end in `#'0101'B` (an optional unique id) that the DN
    /// it names does not carry.
    private mutating func takeMember(
        _ value: UnsafeBufferPointer<UInt8>,
        stripUniqueID: Bool,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) throws {
        var end = value.count
        if stripUniqueID, let suffix = Self.uniqueIDSuffix(value) { end = suffix }
        let dn = UnsafeBufferPointer(rebasing: value[0..<end])
        guard dn.contains(where: { $0 != ASCIIByte.space }) else { return }
        guard record.entry != nil else { return }
        try normalize(dn, attribute, line, number)
        normalizer.output.withUnsafeBufferPointer { batch.addMember($0) }
        // Mid-record too: a group of a million members must not be held back whole. The second thread keeps the
        // members of the record being read until the record ends.
        if batch.isFull { filing.put(&batch) }
    }

    /// Writes the normalised form of `dn` into `normalizer.output`.
    private mutating func normalize(
        _ dn: UnsafeBufferPointer<UInt8>,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) throws {
        do {
            try normalizer.normalize(dn)
        } catch {
            let description = attribute.attributeDescription(in: line)
            throw LDIFError(file: file, line: number, attribute: description, dn: dn, error)
        }
    }

    /// The value as a string without the spaces around it.
    /// - Throws: ``LDIFError/invalidUTF8(file:line:attribute:)``.
    private func text(
        _ value: UnsafeBufferPointer<UInt8>,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) throws(LDIFError) -> String {
        // Trimmed as CSV cells and snapshot ids are, so that `uid: a<TAB>` is the user `a` of the other sources.
        let trimmed = ASCIIByte.trimmed(value)
        if trimmed.allSatisfy({ $0 < 0x80 }) { return String(decoding: trimmed, as: UTF8.self) }
        guard let text = String(validating: trimmed, as: UTF8.self) else {
            throw .invalidUTF8(file: file, line: number, attribute: attribute.attributeDescription(in: line))
        }
        return text
    }

    /// Keeps the error for a group name or customer value holding a control character, for
    /// ``endOfRecord()`` to throw if the record is a group: a user's `cn` names no seat.
    private mutating func checkGroupValue(
        _ value: String,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) {
        guard record.groupValueError == nil, IdentifierText.firstControl(in: value) != nil else {
            return
        }
        record.groupValueError = .controlCharacter(
            file: file,
            line: number,
            attribute: attribute.attributeDescription(in: line),
            value: value
        )
    }

    /// ``text(_:_:_:_:)`` of a value that is a user id.
    /// - Throws: ``LDIFError/controlCharacter(file:line:attribute:value:)`` when a control character is left
    ///   inside it.
    private func identifier(
        _ value: UnsafeBufferPointer<UInt8>,
        _ attribute: LDIFAttributeLine,
        _ line: UnsafeBufferPointer<UInt8>,
        _ number: Int
    ) throws(LDIFError) -> String {
        let text = try text(value, attribute, line, number)
        guard IdentifierText.firstControl(in: text) == nil else {
            throw .controlCharacter(
                file: file,
                line: number,
                attribute: attribute.attributeDescription(in: line),
                value: text
            )
        }
        return text
    }

    /// Whether a normalised DN's first RDN is multi-valued with an `nsuniqueid` pair: the form 389-ds gives the
    /// losing entry when one DN was added on two replicas at once (`nsuniqueid=...+cn=editors,ou=groups,...`).
    private static func isReplicationConflict(_ dn: UnsafeBufferPointer<UInt8>) -> Bool {
        var pairStart = 0
        var pairs = 1
        var hasUniqueID = false
        var index = 0
        while index <= dn.count {
            let byte = index < dn.count ? dn[index] : ASCIIByte.comma
            if byte == ASCIIByte.backslash {
                index += 2
                continue
            }
            if byte == ASCIIByte.plus || byte == ASCIIByte.comma {
                if dn[pairStart..<index].starts(with: uniqueIDType) { hasUniqueID = true }
                if byte == ASCIIByte.comma { break }
                pairs += 1
                pairStart = index + 1
            }
            index += 1
        }
        return hasUniqueID && pairs > 1
    }

    private static let uniqueIDType = Array("nsuniqueid=".utf8)

    /// Where a trailing `#'<bits>'B` starts, if the value has one.
    private static func uniqueIDSuffix(_ value: UnsafeBufferPointer<UInt8>) -> Int? {
        let apostrophe = UInt8(ascii: "'")
        guard value.count >= 4, value[value.count - 1] == UInt8(ascii: "B"), value[value.count - 2] == apostrophe
        else { return nil }
        var position = value.count - 3
        while position >= 0, value[position] == UInt8(ascii: "0") || value[position] == UInt8(ascii: "1") {
            position -= 1
        }
        guard position >= 1, value[position] == apostrophe, value[position - 1] == ASCIIByte.hash else { return nil }
        return position - 1
    }

    /// The last sub-authority of a SID, binary (as `ldifde` writes `objectSid::`) or text (`S-1-5-21-...-1105`).
    private static func relativeID(ofSID value: UnsafeBufferPointer<UInt8>) -> UInt32? {
        if value.count >= 2, value[0] == UInt8(ascii: "S"), value[1] == UInt8(ascii: "-") {
            return String(decoding: value, as: UTF8.self).split(separator: "-").last.flatMap { UInt32($0) }
        }
        guard value.count >= 12, value[0] == 1, value.count == 8 + 4 * Int(value[1]) else { return nil }
        let last = value.count - 4
        return (0..<4).reduce(UInt32(0)) { id, offset in id | UInt32(value[last + offset]) << (8 * offset) }
    }
}
