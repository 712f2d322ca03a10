/// How readings become desired seats: the parts of the config's `policy` and mappings that concern sources.
package struct MergePolicy: Sendable, Hashable {
    /// Feature codes, first wins (`policy.role_precedence`): a user holding several takes one seat, under the
    /// first listed here; codes not listed rank after, alphabetically.
    package var rolePrecedence: [String]
    /// A user takes a seat under every feature code they hold (`policy.every_role_takes_a_seat`).
    package var everyRoleTakesASeat: Bool = false
    /// Every feature code a configured mapping names; each is managed even when no source grants it today.
    package var mappedFeatures: Set<String>

    /// The most seats one customer may be desired to hold, over all codes (`policy.max_seats_per_customer`):
    /// a count above it is a broken input, refused before any Commet call, not a bill.
    package var maxSeatsPerCustomer: Int

    package init(
        rolePrecedence: [String] = [],
        everyRoleTakesASeat: Bool = false,
        mappedFeatures: Set<String> = [],
        maxSeatsPerCustomer: Int = 1_000_000
    ) {
        self.rolePrecedence = rolePrecedence
        self.everyRoleTakesASeat = everyRoleTakesASeat
        self.mappedFeatures = mappedFeatures
        self.maxSeatsPerCustomer = maxSeatsPerCustomer
    }
}
