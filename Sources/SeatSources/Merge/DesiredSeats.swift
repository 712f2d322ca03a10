/// How many seats of one feature code a customer should have, and why.
///
/// A tallied count keeps its tally and writes the `why` when asked: `check-config` prints no `why` in text, and
/// writing all of them was about half of working out the benchmark snapshot's desired counts (2,000 customers,
/// three codes each: 2.0 of 4.2 ms).
package struct DesiredCount: Sendable, Hashable {
    package var count: Int
    private var reason: Reason

    private enum Reason: Sendable {
        case text(String)
        case tally(SeatTally, sourceNames: [String])
    }

    package init(count: Int, why: String) {
        self.count = count
        reason = .text(why)
    }

    init(count: Int, tally: SeatTally, sourceNames: [String]) {
        self.count = count
        reason = .tally(tally, sourceNames: sourceNames)
    }

    /// Like `12 users (hr 9, directory 5; 2 in both)` or `no source grants it`.
    package var why: String {
        switch reason {
        case .text(let why): return why
        case .tally(let tally, let sourceNames): return tally.why(sourceNames: sourceNames)
        }
    }

    package static func == (left: DesiredCount, right: DesiredCount) -> Bool {
        left.count == right.count && left.why == right.why
    }

    package func hash(into hasher: inout Hasher) {
        hasher.combine(count)
        hasher.combine(why)
    }
}

/// The merged result of every source: customer -> feature code -> desired seats.
package struct DesiredSeats: Sendable {
    package var customers: [String: [String: DesiredCount]]
    package var managedFeatures: Set<String>
    package var unmappedRoles: [String: Int]
    /// Every source's notes, each naming its source.
    package var notes: [SourceNote]

    package init(
        customers: [String: [String: DesiredCount]] = [:],
        managedFeatures: Set<String> = [],
        unmappedRoles: [String: Int] = [:],
        notes: [SourceNote] = []
    ) {
        self.customers = customers
        self.managedFeatures = managedFeatures
        self.unmappedRoles = unmappedRoles
        self.notes = notes
    }
}
