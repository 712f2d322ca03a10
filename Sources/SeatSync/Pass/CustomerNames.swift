/// Finds one Commet customer named twice by the sources: once by its external id and once by Commet's own id
/// (`cus_...`), or by two external ids Commet answered for with the same `cus_` id. Two names would give two
/// plans for one customer, each undoing the other's write on every pass.
enum CustomerNames {
    /// The first Commet customer that several of `customers` name, as far as Commet's answers have shown.
    /// - Parameters:
    ///   - customers: the customer ids the sources name.
    ///   - commetIDs: Commet's own id for customers named otherwise, learnt from its answers to writes.
    static func conflict(in customers: [String], commetIDs: [String: String]) -> TwoNamesForOneCustomer? {
        var names: [String: [String]] = [:]
        for customer in customers.sorted() {
            let commetID = customer.hasPrefix("cus_") ? customer : commetIDs[customer]
            if let commetID { names[commetID, default: []].append(customer) }
        }
        return names.sorted { $0.key < $1.key }.first { $0.value.count > 1 }.map {
            TwoNamesForOneCustomer(commetID: $0.key, names: $0.value)
        }
    }
}

/// The sources name one Commet customer by several ids; the pass stops before any Commet call.
struct TwoNamesForOneCustomer: Error, Sendable, Hashable, CustomStringConvertible {
    var commetID: String
    var names: [String]

    var description: String {
        "customers \(names.map { "\"\($0)\"" }.joined(separator: " and ")) are one Commet customer, \(commetID) "
            + "(as Commet's answers to earlier writes show): each pass would undo the other's write; map them to "
            + "one id in the sources' customers: mappings"
    }
}
