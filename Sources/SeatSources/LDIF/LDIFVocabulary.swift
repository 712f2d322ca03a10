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
    private let names: [(name: [UInt8], roles: LDIFRoles)]

    init(userIDAttribute: String, customerAttribute: String?) {
        // Most lines of a large export are member values, so member types come first.
        var names: [(name: String, roles: LDIFRoles)] = [
            ("member", .member), ("uniquemember", .uniqueMember), ("memberuid", .memberUid), ("dn", .dn),
            ("objectclass", .objectClass), ("cn", .cn), ("uid", .uid), ("uidnumber", .uidNumber),
            ("useraccountcontrol", .userAccountControl), ("primarygroupid", .primaryGroupID),
            ("objectsid", .objectSid), ("memberurl", .memberURL), ("changetype", .changeType),
            ("version", .version), ("result", .result),
        ]
        names.append((userIDAttribute.lowercased(), .userID))
        if let customerAttribute { names.append((customerAttribute.lowercased(), .customer)) }
        self.names = names.map { (Array($0.name.utf8), $0.roles) }
    }

    /// Every role the line's attribute type has; empty for an attribute the reader ignores.
    func roles(of attribute: LDIFAttributeLine, in line: UnsafeBufferPointer<UInt8>) -> LDIFRoles {
        var roles: LDIFRoles = []
        for entry in names where attribute.typeIs(entry.name, in: line) { roles.formUnion(entry.roles) }
        return roles
    }
}
