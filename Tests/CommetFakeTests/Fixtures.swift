import CommetFake
import Foundation

/// A fake holding `acme` (editor 3, viewer 10), unsubscribed `lapsed` (editor 1), and the
/// organization feature `admin` that no plan has.
func makeFake(apiKey: String? = nil, envelope: Bool = true) throws -> FakeCommet {
    let fake = try FakeCommet(apiKey: apiKey, envelope: envelope)
    fake.addCustomer("acme", plan: ["editor": 3, "viewer": 10])
    fake.addCustomer("lapsed", plan: ["editor": 1], subscribed: false)
    fake.addOrganizationFeatures(["admin"])
    return fake
}

extension RawHTTPConnection {
    /// Sends one request and insists on an answer.
    func answer(
        _ method: String,
        _ target: String,
        body: String? = nil,
        headers: [String: String] = [:]
    ) throws -> RawResponse {
        guard let response = try send(method, target, body: body, headers: headers) else {
            throw Failure(description: "\(method) \(target): connection closed without an answer")
        }
        return response
    }
}
