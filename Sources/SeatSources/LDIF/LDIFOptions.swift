/// Where the customer of a group comes from.
package enum LDIFCustomerRule: Sendable, Hashable {
    /// The value of the first RDN with this attribute type in the group's DN, walking from the group towards
    /// the root (`o` finds `acme` in `cn=editors,ou=groups,o=acme,dc=example,dc=com`).
    case rdn(String)
    /// The value of this attribute on the group entry (for example `businessCategory`).
    case attribute(String)
}

/// How an LDIF export maps onto seats: the `ldif` source keys of the config.
package struct LDIFOptions: Sendable, Hashable {
    /// Which customer a group belongs to (`customer`).
    package var customer: LDIFCustomerRule
    /// Group cn (compared case-insensitively) to feature code (`groups`).
    package var groups: [String: String]
    /// The attribute of a user entry that is the user id (`user_id_attribute`): `uid`, `mail`, `sAMAccountName`...
    /// A member DN that names no entry holding it counts by its normalised DN.
    package var userIDAttribute: String

    package init(customer: LDIFCustomerRule, groups: [String: String], userIDAttribute: String = "uid") {
        self.customer = customer
        self.groups = groups
        self.userIDAttribute = userIDAttribute
    }
}
