/// Why an LDIF export cannot be trusted; each case reads as one log line that names the file and the line.
package indirect enum LDIFError: Error, Sendable, Equatable, CustomStringConvertible {
    /// A line starting with a space (a fold) where there is no line to continue: the first line of the file or
    /// of a record.
    case continuationWithoutLine(file: String, line: Int)
    /// A line of nothing but spaces, which RFC 2849 reads as a fold that glues two records together.
    case whitespaceOnlyLine(file: String, line: Int)
    /// A line ending in CR CR LF: a carriage return that ends no line would end up in the value.
    case strayCarriageReturn(file: String, line: Int)
    /// A line with no `:` between attribute description and value.
    case missingColon(file: String, line: Int)
    /// An attribute description that is empty or holds bytes no attribute name can hold.
    case badAttributeDescription(file: String, line: Int, description: String)
    /// An `attr::` value that is not valid base64.
    case badBase64(file: String, line: Int, attribute: String)
    /// A value that is not valid UTF-8 (after base64 decoding, if it was encoded).
    case invalidUTF8(file: String, line: Int, attribute: String)
    /// An `attr:<` URL value; seat-sync never fetches one.
    case urlValue(file: String, line: Int, attribute: String)
    /// A `;range=` option on an attribute the reader uses: AD range retrieval left the export incomplete.
    case rangedAttribute(file: String, line: Int, attribute: String, option: String)
    /// A change record other than `changetype: add`.
    case changeRecord(file: String, line: Int, changeType: String)
    /// A `version:` line that names a version other than 1.
    case unsupportedVersion(file: String, line: Int, version: String)
    /// A `dn:` line that is not the first line of its record, or a second one in the same record.
    case misplacedDN(file: String, line: Int)
    /// A DN (of an entry or in a member value) that does not parse.
    case invalidDN(file: String, line: Int, dn: String, reason: String)
    /// A number attribute (`userAccountControl`, `primaryGroupID`) whose value is not a number.
    case notANumber(file: String, line: Int, attribute: String, value: String)
    /// An `ldapsearch` trailer reporting that the search did not complete (`result: 4 Size limit exceeded`).
    case incompleteSearch(file: String, line: Int, result: String)
    /// The file ends without a final newline and its last line is broken: the export was cut short.
    case endsMidRecord(file: String, line: Int, cause: LDIFError)
    /// A mapped group whose customer the configured rule cannot find.
    case noCustomer(file: String, line: Int, group: String, rule: String)
    /// A mapped group whose customer attribute holds several different values.
    case ambiguousCustomer(file: String, line: Int, group: String, values: [String])
    /// A group whose names map to several different feature codes.
    case ambiguousGroup(file: String, line: Int, group: String, features: [String])
    /// A `memberUid` that names several entries which are different users.
    case ambiguousMemberUid(file: String, line: Int, group: String, uid: String, entries: [String])
    /// The file starts with a UTF-16 byte-order mark or UTF-16 text.
    case utf16(file: String)
    /// A second record with the DN of an earlier one: several exports appended to one file, which may disagree.
    case repeatedDN(file: String, line: Int, dn: String, firstLine: Int)
    /// A value of an attribute the reader uses that is longer than ``InputLimits/maxValueBytes``.
    case valueTooLong(file: String, line: Int, attribute: String, bytes: Int)
    /// An id, customer or group name holding a control character (`bob\0` would be another user than `bob`).
    case controlCharacter(file: String, line: Int, attribute: String, value: String)
    /// Entries, but no group whose name a `groups:` key matches; `groups` are the group names the file has.
    case noMappedGroup(file: String, line: Int, keys: [String], groups: [String])

    /// The file the error is in.
    package var file: String { location.file }

    /// The 1-based line the error is on.
    package var line: Int { location.line }

    private var location: (file: String, line: Int) {
        switch self {
        case .continuationWithoutLine(let file, let line), .whitespaceOnlyLine(let file, let line),
            .strayCarriageReturn(let file, let line), .missingColon(let file, let line),
            .badAttributeDescription(let file, let line, _), .badBase64(let file, let line, _),
            .invalidUTF8(let file, let line, _), .urlValue(let file, let line, _),
            .rangedAttribute(let file, let line, _, _), .changeRecord(let file, let line, _),
            .unsupportedVersion(let file, let line, _), .misplacedDN(let file, let line),
            .invalidDN(let file, let line, _, _), .notANumber(let file, let line, _, _),
            .incompleteSearch(let file, let line, _), .endsMidRecord(let file, let line, _),
            .noCustomer(let file, let line, _, _), .ambiguousCustomer(let file, let line, _, _),
            .ambiguousGroup(let file, let line, _, _), .ambiguousMemberUid(let file, let line, _, _, _),
            .repeatedDN(let file, let line, _, _), .valueTooLong(let file, let line, _, _),
            .controlCharacter(let file, let line, _, _), .noMappedGroup(let file, let line, _, _):
            return (file, line)
        case .utf16(let file):
            return (file, 1)
        }
    }

    /// What is wrong, without the location.
    package var reason: String {
        switch self {
        case .continuationWithoutLine:
            return "continuation line (starting with a space) with no line before it to continue"
        case .whitespaceOnlyLine:
            return "line holds only spaces; a record separator must be an empty line "
                + "(a line of spaces continues the previous line and glues two records together)"
        case .strayCarriageReturn:
            return "line ends in CR CR LF; LDIF lines end in LF, CRLF or CR (were the line ends converted to CRLF "
                + "twice?)"
        case .missingColon:
            return "line has no ':' between attribute and value"
        case .badAttributeDescription(_, _, let description):
            return "'\(InputExcerpt.quote(description))' is not an attribute description"
        case .badBase64(_, _, let attribute):
            return "value of \(attribute) is not valid base64"
        case .invalidUTF8(_, _, let attribute):
            return "value of \(attribute) is not valid UTF-8"
        case .urlValue(_, _, let attribute):
            return
                "value of \(attribute) is a URL reference (:<), which seat-sync never fetches; export the value inline"
        case .rangedAttribute(_, _, let attribute, let option):
            return "attribute option ;\(option) on \(attribute) means the export is incomplete (AD range retrieval); "
                + "export with the full member list"
        case .changeRecord(_, _, let changeType):
            return "changetype: \(InputExcerpt.quote(changeType)) is a change record; seat-sync reads content exports "
                + "(records with no changetype or changetype: add), not change logs"
        case .unsupportedVersion(_, _, let version):
            return "LDIF version \(InputExcerpt.quote(version)) is not supported; only version 1 exists"
        case .misplacedDN:
            return "dn: must be the first line of a record, and only once"
        case .invalidDN(_, _, let dn, let reason):
            return "'\(InputExcerpt.quote(dn))' is not a valid DN: \(reason)"
        case .notANumber(_, _, let attribute, let value):
            return "\(attribute) '\(InputExcerpt.quote(value))' is not a number"
        case .incompleteSearch(_, _, let result):
            return "ldapsearch reports 'result: \(InputExcerpt.quote(result))': the search did not complete, "
                + "so the export is partial"
        case .endsMidRecord(_, _, let cause):
            return "file ends mid-record (\(cause.reason)); the export was cut short or is still being written"
        case .noCustomer(_, _, let group, let rule):
            return "group \(InputExcerpt.quote(group)) has no \(rule), so its customer is unknown"
        case .ambiguousCustomer(_, _, let group, let values):
            return "group \(InputExcerpt.quote(group)) names several customers: "
                + InputExcerpt.quote(values.joined(separator: ", "))
        case .ambiguousGroup(_, _, let group, let features):
            return "group \(InputExcerpt.quote(group)) has names mapped to several feature codes: "
                + features.joined(separator: ", ")
        case .ambiguousMemberUid(_, _, _, let uid, let entries):
            // The line is the group's, so the group goes unnamed: the line stays within what an error may quote.
            return "memberUid \(InputExcerpt.quote(uid)) of this group names several users: "
                + InputExcerpt.quote(entries.joined(separator: "; "))
        case .utf16:
            return "not UTF-8 (UTF-16 byte-order mark or text); export the LDIF as UTF-8"
        case .repeatedDN(_, _, let dn, let firstLine):
            return "'\(InputExcerpt.quote(dn))' repeats the DN of the record on line \(firstLine); a DN names one "
                + "entry, so the export is ambiguous (were several exports appended to one file?)"
        case .valueTooLong(_, _, let attribute, let bytes):
            return "value of \(attribute) is \(bytes) bytes, more than the \(InputLimits.maxValueBytes) a DN, id or "
                + "name may have"
        case .controlCharacter(_, _, let attribute, let value):
            return "value of \(attribute) '\(InputExcerpt.quote(value))' holds a control character, which no id, "
                + "customer or group name may hold"
        case .noMappedGroup(_, _, let keys, let groups):
            let found =
                groups.isEmpty
                ? "it has no groups" : "its groups are: \(InputExcerpt.quote(groups.joined(separator: ", ")))"
            return "no group matches a groups: key (\(InputExcerpt.quote(keys.joined(separator: ", ")))); \(found)"
        }
    }

    package var description: String { "\(file):\(line): \(reason)" }
}

extension LDIFError {
    /// The error for a value of `attribute` on `line` that is no DN: `dn` is the value as written.
    init(file: String, line: Int, attribute: String, dn: UnsafeBufferPointer<UInt8>, _ error: DNSyntaxError) {
        if case .invalidUTF8 = error {
            self = .invalidUTF8(file: file, line: line, attribute: attribute)
        } else {
            self = .invalidDN(file: file, line: line, dn: String(decoding: dn, as: UTF8.self), reason: error.reason)
        }
    }
}
