/// Which header columns hold the facts, and so which of the two row shapes a CSV file has.
package enum CSVColumns: Sendable, Hashable {
    /// One row per user: the customer, the user id, and the user's role (or roles, see ``CSVOptions/roleSeparator``).
    case users(customer: String, user: String, role: String)
    /// Pre-counted rows: the customer, a feature code, and how many seats of it the customer has.
    case counts(customer: String, feature: String, count: String)
}

/// How to read one CSV source (the `csv` source keys of the config).
package struct CSVOptions: Sendable, Hashable {
    /// The header names of the columns to read (`columns`).
    package var columns: CSVColumns
    /// The field delimiter (`delimiter`); `nil` detects `,`, `;` or tab from the header line.
    package var delimiter: UInt8?
    /// Splits a role cell that holds several roles (`role_separator`), such as `|` for `editor|viewer`.
    package var roleSeparator: String?
    /// Role value to feature code (`roles`), matched trimmed and case-insensitively; `nil` takes values as-is.
    /// Values the mapping does not name are reported as unmapped roles and take no seat.
    package var roles: [String: String]?
    /// Customer value to the customer id Commet knows (`customers`); values it does not name are kept as-is.
    package var customers: [String: String]?

    package init(
        columns: CSVColumns,
        delimiter: UInt8? = nil,
        roleSeparator: String? = nil,
        roles: [String: String]? = nil,
        customers: [String: String]? = nil
    ) {
        self.columns = columns
        self.delimiter = delimiter
        self.roleSeparator = roleSeparator
        self.roles = roles
        self.customers = customers
    }
}
