import Foundation
import SeatSources
import TextRules

/// Prints a ``CustomerExplanation``: a listing for people, or JSON as `docs/explain-json.md` documents it.
///
/// Every count printed is counted from the users listed, so the numbers of the plan's reason column are backed by
/// names; at most `limit` users are listed per code and list, with the totals.
package struct ExplainRenderer {
    package var explanation: CustomerExplanation
    package var limit: Int

    package init(_ explanation: CustomerExplanation, limit: Int) {
        self.explanation = explanation
        self.limit = limit
    }

    package func text() -> String {
        let quote = InputExcerpt.escapingControls
        var out = "customer \(quote(explanation.customer))\n"
        for mapping in explanation.mappings {
            out +=
                "  written \"\(quote(mapping.value))\" in source \(quote(mapping.source)), renamed by its customers mapping\n"
        }
        for feature in explanation.features {
            let seats = feature.desired.count == 1 ? "1 seat" : "\(feature.desired.count) seats"
            out += "\n\(quote(feature.code)): \(seats), \(quote(feature.desired.why))"
            if explanation.balancesRead {
                if let current = feature.current {
                    out += "; Commet holds \(current), delta \(Self.signed(feature.desired.count - current))"
                } else {
                    out += "; not on the customer's plan in Commet, so it cannot be billed"
                }
            }
            out += "\n"
            if let origin = feature.precounted {
                out += "  pre-counted by \(quote(origin.source)) at \(quote(origin.at.description))\n"
            }
            let bySource = Self.bySource(feature)
            if !feature.seated.isEmpty {
                let parts = bySource.map { "\(quote($0.source)) \($0.users)" }.joined(separator: ", ")
                let several = Self.inSeveral(feature)
                let overlap = several == 0 ? "" : "; \(several) listed by more than one source, counted once"
                out += "  counted: \(feature.seated.count) (\(parts)\(overlap))\n"
            }
            for user in feature.seated.prefix(limit) {
                out += "    \(quote(user.id))  \(Self.places(of: user, feature: feature.code))\n"
            }
            out += Self.omitted(feature.seated.count, limit)
            if !feature.seatedElsewhere.isEmpty {
                out +=
                    "  not counted here, seated under a code of higher role_precedence: \(feature.seatedElsewhere.count)\n"
            }
            for user in feature.seatedElsewhere.prefix(limit) {
                out += "    \(quote(user.id))  counted under \(user.seatedUnder.map(quote).joined(separator: ", ")); "
                out += "\(Self.places(of: user, feature: feature.code))\n"
            }
            out += Self.omitted(feature.seatedElsewhere.count, limit)
        }
        if !explanation.notCounted.isEmpty {
            out += "\nnot counted under any code: \(explanation.notCounted.count)\n"
            for user in explanation.notCounted.prefix(limit) {
                let place = user.at.map { " \($0)" } ?? ""
                out += "    \(quote(user.id))  \(Self.reason(user.reason)); "
                out += quote("\(user.sources.joined(separator: ", "))\(place)") + "\n"
            }
            out += Self.omitted(explanation.notCounted.count, limit)
        }
        for (code, current) in explanation.unmanagedBalances.sorted(by: { $0.key < $1.key }) {
            out += "\n\(quote(code)): Commet holds \(current); no source or mapping manages this code\n"
        }
        return out
    }

    package func json() -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain structs of strings and numbers cannot fail.
        let data = try! encoder.encode(ExplainDocument(explanation, limit: limit))
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    /// Per source listing a seated user with the code, how many seated users it lists, in the order of `why`.
    static func bySource(_ feature: CustomerExplanation.Feature) -> [(source: String, users: Int)] {
        var counts: [(source: String, users: Int)] = []
        for user in feature.seated {
            for source in user.grants.filter({ $0.feature == feature.code }).map(\.source) {
                if let index = counts.firstIndex(where: { $0.source == source }) {
                    counts[index].users += 1
                } else {
                    counts.append((source, 1))
                }
            }
        }
        return counts
    }

    /// The seated users more than one source lists with the code: they take one seat.
    static func inSeveral(_ feature: CustomerExplanation.Feature) -> Int {
        feature.seated.filter { user in Set(user.grants.filter { $0.feature == feature.code }.map(\.source)).count > 1 }
            .count
    }

    private static func places(of user: UserSeating, feature: String) -> String {
        user.grants.filter { $0.feature == feature }
            .map { InputExcerpt.escapingControls("\($0.source) \($0.at)") }
            .joined(separator: "; ")
    }

    static func reason(_ reason: SkippedUser.Reason) -> String {
        switch reason {
        case .noMappedRole(let roles) where roles.trimmingASCIIWhitespace().isEmpty:
            return "holds no role or group a mapping names"
        case .noMappedRole(let roles):
            return "role \"\(InputExcerpt.quote(roles))\" is named by no mapping"
        case .inactive: return "inactive (\"active\": false)"
        case .disabled: return "disabled account (userAccountControl bit 0x2)"
        }
    }

    private static func omitted(_ total: Int, _ limit: Int) -> String {
        total > limit ? "    … \(total - limit) more (--limit \(limit))\n" : ""
    }

    private static func signed(_ value: Int) -> String { value > 0 ? "+\(value)" : "\(value)" }
}

/// The JSON form of an explanation, as `docs/explain-json.md` documents it.
private struct ExplainDocument: Encodable {
    var format = "seat-sync-explain"
    var version = 1
    var customer: String
    var mappings: [Mapping]
    var balancesRead: Bool
    var features: [Feature]
    var notCountedTotal: Int
    var notCounted: [Skipped]
    var unmanagedBalances: [Balance]

    struct Mapping: Encodable {
        var source, value: String
    }

    struct Place: Encodable {
        var source, file: String
        var line: Int
        var detail: String?
    }

    struct User: Encodable {
        var id: String
        var sources: [String]
        var grants: [Place]
        var countedUnder: [String]
    }

    struct Skipped: Encodable {
        var id: String
        var sources: [String]
        var place: Place?
        /// `no_mapped_role`, `inactive` or `disabled`.
        var reason: String
        /// With `no_mapped_role`, the role values as written.
        var roles: String?
    }

    struct SourceTotal: Encodable {
        var source: String
        var users: Int
    }

    struct Feature: Encodable {
        var code: String
        var desired: Int
        var why: String
        var precounted: Place?
        var current: Int?
        var delta: Int?
        var onPlan: Bool?
        var countedTotal: Int
        var countedBySource: [SourceTotal]
        var countedInSeveralSources: Int
        var counted: [User]
        var seatedElsewhereTotal: Int
        var seatedElsewhere: [User]
    }

    struct Balance: Encodable {
        var code: String
        var current: Int
    }

    init(_ explanation: CustomerExplanation, limit: Int) {
        func user(_ user: UserSeating, feature: String?) -> User {
            User(
                id: user.id,
                sources: user.sources,
                grants: user.grants.filter { feature == nil || $0.feature == feature }.map {
                    Place(source: $0.source, file: $0.at.file, line: $0.at.line, detail: $0.at.detail)
                },
                countedUnder: user.seatedUnder
            )
        }
        customer = explanation.customer
        mappings = explanation.mappings.map { Mapping(source: $0.source, value: $0.value) }
        balancesRead = explanation.balancesRead
        features = explanation.features.map { feature in
            Feature(
                code: feature.code,
                desired: feature.desired.count,
                why: feature.desired.why,
                precounted: feature.precounted.map {
                    Place(source: $0.source, file: $0.at.file, line: $0.at.line, detail: $0.at.detail)
                },
                current: feature.current,
                delta: feature.current.map { feature.desired.count - $0 },
                onPlan: explanation.balancesRead ? feature.current != nil : nil,
                countedTotal: feature.seated.count,
                countedBySource: ExplainRenderer.bySource(feature).map {
                    SourceTotal(source: $0.source, users: $0.users)
                },
                countedInSeveralSources: ExplainRenderer.inSeveral(feature),
                counted: feature.seated.prefix(limit).map { user($0, feature: feature.code) },
                seatedElsewhereTotal: feature.seatedElsewhere.count,
                seatedElsewhere: feature.seatedElsewhere.prefix(limit).map { user($0, feature: feature.code) }
            )
        }
        notCountedTotal = explanation.notCounted.count
        notCounted = explanation.notCounted.prefix(limit).map { user in
            var reason = "no_mapped_role"
            var roles: String?
            switch user.reason {
            case .noMappedRole(let values): roles = values
            case .inactive: reason = "inactive"
            case .disabled: reason = "disabled"
            }
            return Skipped(
                id: user.id,
                sources: user.sources,
                place: user.at.map {
                    Place(source: user.sources.first ?? "", file: $0.file, line: $0.line, detail: $0.detail)
                },
                reason: reason,
                roles: roles
            )
        }
        unmanagedBalances = explanation.unmanagedBalances.sorted { $0.key < $1.key }.map {
            Balance(code: $0.key, current: $0.value)
        }
    }
}
