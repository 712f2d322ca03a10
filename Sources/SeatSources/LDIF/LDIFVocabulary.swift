/// The attributes the LDIF reader acts on; every other attribute is checked for syntax and otherwise skipped.
struct LDIFRoles: OptionSet {
    let rawValue: UInt32

    static let dn = Self(rawValue: 1 << 0)
    static let version = Self(rawValue: 1 << 1)
    static let changeType = Self(rawValue: 1 << 2)
    static let objectClass = Self(rawValue: 1 << 3)
    static let cn = Self(rawValue: 1 << 4)
    static let member = Self(rawValue: 1 << 5)
    static let uniqueMember = Self(rawValue: 1 << 6)
    static let memberUid = Self(rawValue: 1 << 7)
    static let memberURL = Self(rawValue: 1 << 8)
    static let uid = Self(rawValue: 1 << 9)
    static let uidNumber = Self(rawValue: 1 << 10)
    static let userAccountControl = Self(rawValue: 1 << 11)
    static let primaryGroupID = Self(rawValue: 1 << 12)
    static let objectSid = Self(rawValue: 1 << 13)
    /// The status line of an `ldapsearch` trailer record.
    static let result = Self(rawValue: 1 << 14)
    /// The configured user id attribute.
    static let userID = Self(rawValue: 1 << 15)
    /// The configured customer attribute.
    static let customer = Self(rawValue: 1 << 16)

    /// Attributes whose values go into the seat count: a partial (`;range=`) list of them is a partial count.
    static let counted: Self = [
        .objectClass, .cn, .member, .uniqueMember, .memberUid, .memberURL, .uid, .uidNumber, .userAccountControl,
        .primaryGroupID, .objectSid, .userID, .customer,
    ]
}

/// Maps attribute types, compared case-insensitively, to the roles the reader gives them.
struct LDIFVocabulary {
    /// One known type: where its lower-case name is in `bytes`, and its roles. Plain integers, so that looking a
    /// line's type up retains nothing: with an array per name, the reference counting of the 17 names every line
    /// was compared with cost about 4% of reading the benchmark's LDIF.
    private struct Name {
        var start: Int
        var count: Int
        var roles: LDIFRoles
    }

    private let bytes: [UInt8]
    /// The names, shortest first.
    private let names: [Name]
    /// Where the names of each length are in `names`: a line's type is compared with the names of its own length
    /// only. Compared with every name in turn, the lookup was about 5% of the reading thread's samples on the
    /// benchmark's LDIF.
    private let byLength: [Range<Int>]
    /// The type of the last line looked up, as written, and its roles: a group's lines are mostly one type
    /// (`member`), and comparing it with the last costs less than matching it again (2% of the instructions
    /// reading the many-groups benchmark took).
    private var lastType: [UInt8]?
    private var lastRoles: LDIFRoles = []

    init(userIDAttribute: String, customerAttribute: String?) {
        var names: [(name: String, roles: LDIFRoles)] = [
            ("member", .member), ("uniquemember", .uniqueMember), ("memberuid", .memberUid), ("dn", .dn),
            ("objectclass", .objectClass), ("cn", .cn), ("uid", .uid), ("uidnumber", .uidNumber),
            ("useraccountcontrol", .userAccountControl), ("primarygroupid", .primaryGroupID),
            ("objectsid", .objectSid), ("memberurl", .memberURL), ("changetype", .changeType),
            ("version", .version), ("result", .result),
        ]
        names.append((userIDAttribute.lowercased(), .userID))
        if let customerAttribute { names.append((customerAttribute.lowercased(), .customer)) }
        var bytes: [UInt8] = []
        let ordered = names.map { name, roles in
            let start = bytes.count
            bytes.append(contentsOf: name.utf8)
            return Name(start: start, count: bytes.count - start, roles: roles)
        }.sorted { $0.count < $1.count }
        self.names = ordered
        self.bytes = bytes
        byLength = (0...(ordered.last?.count ?? 0)).map { length in
            let first = ordered.firstIndex { $0.count >= length } ?? ordered.count
            return first..<(ordered[first...].firstIndex { $0.count > length } ?? ordered.count)
        }
    }

    /// Every role the line's attribute type has; empty for an attribute the reader ignores.
    mutating func roles(of attribute: LDIFAttributeLine, in line: UnsafeBufferPointer<UInt8>) -> LDIFRoles {
        let type = UnsafeBufferPointer(rebasing: line[attribute.type])
        if let lastType, ByteComparison.equal(lastType, type) { return lastRoles }
        lastRoles = matchedRoles(of: attribute, in: line)
        lastType = Array(type)
        return lastRoles
    }

    private func matchedRoles(of attribute: LDIFAttributeLine, in line: UnsafeBufferPointer<UInt8>) -> LDIFRoles {
        var roles: LDIFRoles = []
        guard attribute.type.count < byLength.count else { return roles }
        let candidates = byLength[attribute.type.count]
        bytes.withUnsafeBufferPointer { bytes in
            names.withUnsafeBufferPointer { names in
                for name in names[candidates]
                where attribute.typeIs(
                    UnsafeBufferPointer(rebasing: bytes[name.start..<(name.start + name.count)]),
                    in: line
                ) {
                    roles.formUnion(name.roles)
                }
            }
        }
        return roles
    }
}
