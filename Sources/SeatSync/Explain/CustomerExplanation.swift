package import Foundation
package import SeatSources

/// Why one customer is billed what it is billed: per feature code, the users the merge seats under it and where
/// each came from, and the users it does not seat, with the reason (`seat-sync explain`).
package struct CustomerExplanation: Sendable {
    /// One feature code of the customer.
    package struct Feature: Sendable {
        package var code: String
        /// The desired seats and the plan's reason column for them.
        package var desired: DesiredCount
        /// The pre-counted row the seats come from, when a source counts rather than lists them.
        package var precounted: FactOrigin?
        /// The users seated under this code.
        package var seated: [UserSeating]
        /// Users holding this code who take their seat under a code of higher `role_precedence`.
        package var seatedElsewhere: [UserSeating]
        /// The customer's balance of this code in Commet, when read; `nil` with balances read means the code is
        /// not on the customer's plan.
        package var current: Int?
    }

    /// A `customers:` mapping entry of a source that renames a source value to this customer.
    package struct Mapping: Sendable, Hashable {
        package var source: String
        package var value: String
    }

    /// A user the sources list for the customer who takes no seat, and why.
    package struct NotCounted: Sendable, Hashable {
        package var id: String
        /// The sources listing the user this way.
        package var sources: [String]
        /// Where, when the source kept it.
        package var at: Provenance?
        package var reason: SkippedUser.Reason
    }

    package var customer: String
    package var mappings: [Mapping]
    /// The customer's codes, in `role_precedence` order, the rest alphabetically.
    package var features: [Feature]
    /// Users the sources list for the customer who take no seat: inactive, disabled, or holding no code a
    /// mapping names; a user seated from another source is not among them.
    package var notCounted: [NotCounted]
    /// Whether Commet's balances were read (`--balances`).
    package var balancesRead: Bool
    /// Codes Commet holds a balance of that no source manages, with that balance.
    package var unmanagedBalances: [String: Int]

    /// Reads every configured source (LDIF sources keeping their nesting paths), merges them as a pass would, and
    /// explains `customer`.
    /// - Parameters:
    ///   - feature: explain only this feature code.
    ///   - now: the time `max_age` is measured against.
    /// - Throws: ``SourceFailure`` for a source that cannot be read, ``MergeError``, and
    ///   ``ExplainError/unknownCustomer(_:closest:)`` when the merged sources do not name `customer`.
    package static func make(
        _ customer: String,
        feature: String? = nil,
        config: SeatSyncConfig,
        now: Date = Date()
    ) throws -> CustomerExplanation {
        var readings: [SourceReading] = []
        for definition in config.sourceDefinitions {
            var definition = definition
            definition.settings.keepsExplanations = true
            do {
                readings.append(try definition.makeSource(lastAppliedSequence: nil).read(now: now))
            } catch {
                throw SourceFailure(source: definition.settings.name, reason: "\(error)")
            }
        }
        let desired = try SeatMerger.merge(readings, policy: config.merge)
        guard let seats = desired.customers[customer] else {
            throw ExplainError.unknownCustomer(customer, closest: closest(to: customer, among: desired.customers.keys))
        }
        if let feature, seats[feature] == nil {
            throw ExplainError.unknownFeature(feature, customer: customer, known: seats.keys.sorted())
        }
        let users = SeatMerger.seatings(of: customer, in: readings, policy: config.merge)
        var precounted: [String: FactOrigin] = [:]
        for reading in readings {
            for (code, fact) in reading.customers[customer]?.counts ?? [:] {
                precounted[code] = FactOrigin(source: reading.source, at: fact.at)
            }
        }
        let order = config.merge.rolePrecedence
        let held = Set(seats.keys)
        var listed: Set<String> = []
        let codes = order.filter { held.contains($0) && listed.insert($0).inserted } + held.subtracting(order).sorted()
        let features = codes.filter { feature == nil || $0 == feature }.map { code in
            Feature(
                code: code,
                desired: seats[code]!,
                precounted: precounted[code],
                seated: users.filter { $0.seatedUnder.contains(code) },
                seatedElsewhere: users.filter { user in
                    !user.seatedUnder.contains(code) && user.grants.contains { $0.feature == code }
                },
                current: nil
            )
        }
        var mappings: [Mapping] = []
        for definition in config.sourceDefinitions {
            guard case .csv(let options) = definition.format else { continue }
            for (value, mapped) in (options.customers ?? [:]).sorted(by: { $0.key < $1.key }) where mapped == customer {
                mappings.append(Mapping(source: definition.settings.name, value: value))
            }
        }
        return CustomerExplanation(
            customer: customer,
            mappings: mappings,
            features: features,
            notCounted: notCounted(users, readings: readings, customer: customer),
            balancesRead: false,
            unmanagedBalances: [:]
        )
    }

    /// Adds Commet's current balances of the customer: each code's current count, and codes no source manages.
    package mutating func add(balances: [String: Int]) {
        balancesRead = true
        for index in features.indices { features[index].current = balances[features[index].code] }
        let managed = Set(features.map(\.code))
        unmanagedBalances = balances.filter { !managed.contains($0.key) }
    }

    /// The users of `users` holding no code, with the reason their sources kept, then the users the readers left
    /// out (inactive, disabled) whom no source seats.
    private static func notCounted(_ users: [UserSeating], readings: [SourceReading], customer: String) -> [NotCounted]
    {
        var skipped: [String: [(source: String, user: SkippedUser)]] = [:]
        var order: [String] = []
        for reading in readings {
            for user in reading.skippedUsers[customer] ?? [] {
                let key = UserKey.of(user.id)
                if skipped[key] == nil { order.append(key) }
                skipped[key, default: []].append((reading.source, user))
            }
        }
        let seated = Set(users.filter { !$0.grants.isEmpty }.map { UserKey.of($0.id) })
        var result: [NotCounted] = []
        var listed: Set<String> = []
        for user in users where user.grants.isEmpty {
            let key = UserKey.of(user.id)
            listed.insert(key)
            let reasons = skipped[key] ?? []
            guard !reasons.isEmpty else {
                result.append(NotCounted(id: user.id, sources: user.sources, at: nil, reason: .noMappedRole("")))
                continue
            }
            for (source, skip) in reasons {
                result.append(NotCounted(id: user.id, sources: [source], at: skip.at, reason: skip.reason))
            }
        }
        for key in order where !seated.contains(key) && !listed.contains(key) {
            for (source, skip) in skipped[key]! {
                result.append(NotCounted(id: skip.id, sources: [source], at: skip.at, reason: skip.reason))
            }
        }
        return result
    }

    /// Up to three of `known` nearest to `customer` by edit distance, nearest first.
    private static func closest(to customer: String, among known: some Collection<String>) -> [String] {
        let typed = Array(customer.lowercased())
        return
            known.map { (name: $0, distance: KeySuggestion.editDistance(typed, Array($0.lowercased()))) }
            .sorted { ($0.distance, $0.name) < ($1.distance, $1.name) }
            .prefix(3).map(\.name)
    }
}

/// Why `seat-sync explain` cannot explain what it was asked.
package enum ExplainError: Error, Sendable, Equatable, CustomStringConvertible {
    /// No source names the customer (after the `customers:` mappings).
    case unknownCustomer(String, closest: [String])
    /// The customer has no such feature code.
    case unknownFeature(String, customer: String, known: [String])

    package var description: String {
        switch self {
        case .unknownCustomer(let customer, let closest):
            let quoted = InputExcerpt.quote(customer)
            guard !closest.isEmpty else { return "no source names customer \"\(quoted)\"; the sources name none" }
            let names = closest.map { "\"\(InputExcerpt.quote($0))\"" }.joined(separator: ", ")
            return "no source names customer \"\(quoted)\"; the closest the sources name: \(names)"
        case .unknownFeature(let feature, let customer, let known):
            return
                "customer \"\(InputExcerpt.quote(customer))\" has no feature code \"\(InputExcerpt.quote(feature))\" "
                + "(it has \(known.map(InputExcerpt.quote).joined(separator: ", ")))"
        }
    }
}
