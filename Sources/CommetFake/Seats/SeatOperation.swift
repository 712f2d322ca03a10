/// A seat write the fake was asked to carry out.
struct SeatWrite: Hashable {
    enum Kind: Hashable {
        case add, remove, set, setAll
    }

    var kind: Kind
    var customerID: String
    /// The one code of add, remove and set, or every code setAll names, with its count.
    var seats: [String: Int]
}

/// A validated request to one of the six seat routes.
enum SeatOperation: Hashable {
    case write(SeatWrite)
    case balance(customerID: String, featureCode: String)
    case balances(customerID: String)

    /// Validates a request the way Commet does: the body must be JSON, every field present
    /// and well typed, counts non-negative integers.
    /// - Throws: `invalid_json`, or `validation_error` listing every bad field.
    init(route: Route, body: [UInt8], query: [String: String]) throws(APIError) {
        switch route {
        case .balance:
            var problems = Problems()
            let customer = problems.requiredText(query["customerId"], field: "customerId")
            let feature = problems.requiredText(query["featureCode"], field: "featureCode")
            try problems.throwIfAny()
            self = .balance(customerID: customer!, featureCode: feature!)
        case .balances:
            var problems = Problems()
            let customer = problems.requiredText(query["customerId"], field: "customerId")
            try problems.throwIfAny()
            self = .balances(customerID: customer!)
        case .add: self = .write(try Self.singleWrite(.add, body: body))
        case .remove: self = .write(try Self.singleWrite(.remove, body: body))
        case .set: self = .write(try Self.singleWrite(.set, body: body))
        case .setAll:
            let object = try Self.object(from: body)
            var problems = Problems()
            let customer = problems.requiredText(object["customerId"], field: "customerId")
            let seats = problems.seats(object["seats"])
            try problems.throwIfAny()
            self = .write(SeatWrite(kind: .setAll, customerID: customer!, seats: seats!))
        }
    }

    private static func singleWrite(_ kind: SeatWrite.Kind, body: [UInt8]) throws(APIError) -> SeatWrite {
        let object = try object(from: body)
        var problems = Problems()
        let customer = problems.requiredText(object["customerId"], field: "customerId")
        let feature = problems.requiredText(object["featureCode"], field: "featureCode")
        let count = problems.count(object["count"], field: "count")
        try problems.throwIfAny()
        return SeatWrite(kind: kind, customerID: customer!, seats: [feature!: count!])
    }

    private static func object(from body: [UInt8]) throws(APIError) -> [String: JSONValue] {
        let document: JSONValue
        do {
            document = try JSONValue(parsing: body)
        } catch {
            throw body.isEmpty ? .invalidJSON("the body is empty") : .invalidJSON("it does not parse")
        }
        guard let object = document.objectValue else {
            throw .validation([.init(field: "body", message: "must be a JSON object")])
        }
        return object
    }
}

/// The field problems found while validating one request, in field order.
private struct Problems {
    private var found: [APIError.FieldProblem] = []

    mutating func requiredText(_ value: String?, field: String) -> String? {
        requiredText(value.map(JSONValue.string), field: field)
    }

    mutating func requiredText(_ value: JSONValue?, field: String) -> String? {
        guard let value, value != .null else {
            found.append(.init(field: field, message: "is required"))
            return nil
        }
        guard let text = value.stringValue, !text.isEmpty else {
            found.append(.init(field: field, message: "must be a non-empty string"))
            return nil
        }
        return text
    }

    mutating func count(_ value: JSONValue?, field: String) -> Int? {
        guard let value, value != .null else {
            found.append(.init(field: field, message: "is required"))
            return nil
        }
        guard let count = value.integerValue else {
            found.append(.init(field: field, message: "must be an integer"))
            return nil
        }
        guard count >= 0 else {
            found.append(.init(field: field, message: "must not be negative"))
            return nil
        }
        return count
    }

    mutating func seats(_ value: JSONValue?) -> [String: Int]? {
        guard let value, value != .null else {
            found.append(.init(field: "seats", message: "is required"))
            return nil
        }
        guard let members = value.objectValue else {
            found.append(.init(field: "seats", message: "must be an object of feature code to count"))
            return nil
        }
        var seats: [String: Int] = [:]
        for code in members.keys.sorted() {
            guard !code.isEmpty else {
                found.append(.init(field: "seats", message: "feature codes must be non-empty"))
                continue
            }
            seats[code] = count(members[code], field: "seats.\(code)")
        }
        return seats
    }

    func throwIfAny() throws(APIError) {
        if !found.isEmpty { throw .validation(found) }
    }
}
