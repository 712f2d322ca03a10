/// Why an LDIF export cannot be trusted; each case reads as one log line that names the file and the line.
public indirect enum LDIFError: Error, Sendable, Equatable, CustomStringConvertible {
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

    /// The file the error is in.
    public var file: String {
        switch self {
        case .continuationWithoutLine(let file, _), .whitespaceOnlyLine(let file, _),
            .strayCarriageReturn(let file, _), .missingColon(let file, _),
            .badAttributeDescription(let file, _, _), .badBase64(let file, _, _), .invalidUTF8(let file, _, _),
            .urlValue(let file, _, _), .rangedAttribute(let file, _, _, _), .changeRecord(let file, _, _),
            .unsupportedVersion(let file, _, _), .misplacedDN(let file, _), .invalidDN(let file, _, _, _),
            .notANumber(let file, _, _, _), .incompleteSearch(let file, _, _),
            .endsMidRecord(let file, _, _), .noCustomer(let file, _, _, _), .ambiguousCustomer(let file, _, _, _),
            .ambiguousGroup(let file, _, _, _), .ambiguousMemberUid(let file, _, _, _, _):
            return file
        }
    }

    /// The 1-based line the error is on.
    public var line: Int {
        switch self {
        case .continuationWithoutLine(_, let line), .whitespaceOnlyLine(_, let line),
            .strayCarriageReturn(_, let line), .missingColon(_, let line),
            .badAttributeDescription(_, let line, _), .badBase64(_, let line, _), .invalidUTF8(_, let line, _),
            .urlValue(_, let line, _), .rangedAttribute(_, let line, _, _), .changeRecord(_, let line, _),
            .unsupportedVersion(_, let line, _), .misplacedDN(_, let line), .invalidDN(_, let line, _, _),
            .notANumber(_, let line, _, _), .incompleteSearch(_, let line, _),
            .endsMidRecord(_, let line, _), .noCustomer(_, let line, _, _), .ambiguousCustomer(_, let line, _, _),
            .ambiguousGroup(_, let line, _, _), .ambiguousMemberUid(_, let line, _, _, _):
            return line
        }
    }

    /// What is wrong, without the location.
    public var reason: String {
        switch self {
        case .continuationWithoutLine:
            return "continuation line (starting with a space) with no line before it to continue"
        case .whitespaceOnlyLine:
            return "line holds only spaces; a record separator must be an empty line "
                + "(a line of spaces continues the previous line and glues two records together)"
        case .strayCarriageReturn:
            return "line ends in CR CR LF; LDIF lines end in LF or CRLF (were the line ends converted to CRLF twice?)"
        case .missingColon:
            return "line has no ':' between attribute and value"
        case .badAttributeDescription(_, _, let description):
            return "'\(description)' is not an attribute description"
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
            return "changetype: \(changeType) is a change record; seat-sync reads content exports "
                + "(records with no changetype or changetype: add), not change logs"
        case .unsupportedVersion(_, _, let version):
            return "LDIF version \(version) is not supported; only version 1 exists"
        case .misplacedDN:
            return "dn: must be the first line of a record, and only once"
        case .invalidDN(_, _, let dn, let reason):
            return "'\(dn)' is not a valid DN: \(reason)"
        case .notANumber(_, _, let attribute, let value):
            return "\(attribute) '\(value)' is not a number"
        case .incompleteSearch(_, _, let result):
            return "ldapsearch reports 'result: \(result)': the search did not complete, so the export is partial"
        case .endsMidRecord(_, _, let cause):
            return "file ends mid-record (\(cause.reason)); the export was cut short or is still being written"
        case .noCustomer(_, _, let group, let rule):
            return "group \(group) has no \(rule), so its customer is unknown"
        case .ambiguousCustomer(_, _, let group, let values):
            return "group \(group) names several customers: \(values.joined(separator: ", "))"
        case .ambiguousGroup(_, _, let group, let features):
            return "group \(group) has names mapped to several feature codes: \(features.joined(separator: ", "))"
        case .ambiguousMemberUid(_, _, let group, let uid, let entries):
            return "memberUid \(uid) of group \(group) names several users: \(entries.joined(separator: "; "))"
        }
    }

    public var description: String { "\(file):\(line): \(reason)" }
}
