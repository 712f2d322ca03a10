import CommetFake
import Foundation

/// The `--seed` file: `{"customers": [{"id", "plan": {code: count}, "subscribed"}], "features": [code]}`.
struct SeedFile: Decodable {
    struct Customer: Decodable {
        var id: String
        var plan: [String: Int]
        var subscribed: Bool?
    }

    var customers: [Customer]?
    var features: [String]?

    static func load(from path: String) throws -> SeedFile {
        let data = try InputFile.read(path)
        do {
            return try JSONDecoder().decode(SeedFile.self, from: data)
        } catch let error as DecodingError {
            throw InputFileError(path: path, problem: "not a seed file: \(error.summary)")
        }
    }

    func apply(to fake: FakeCommet) {
        for customer in customers ?? [] {
            fake.addCustomer(customer.id, plan: customer.plan, subscribed: customer.subscribed ?? true)
        }
        fake.addOrganizationFeatures(features ?? [])
    }
}

extension DecodingError {
    /// What is wrong and where, as `customers[0].plan: expected Int`.
    fileprivate var summary: String {
        let (context, problem): (Context, String) =
            switch self {
            case .typeMismatch(let type, let context): (context, "expected \(type)")
            case .valueNotFound(let type, let context): (context, "missing \(type)")
            case .keyNotFound(let key, let context): (context, "missing key '\(key.stringValue)'")
            case .dataCorrupted(let context): (context, context.debugDescription)
            @unknown default: (Context(codingPath: [], debugDescription: ""), "\(self)")
            }
        let path = context.codingPath.map { $0.intValue.map { "[\($0)]" } ?? ".\($0.stringValue)" }.joined()
        return path.isEmpty ? problem : "\(path.drop { $0 == "." }): \(problem)"
    }
}
