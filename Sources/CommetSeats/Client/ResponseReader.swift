#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

/// Turns one HTTP response into a payload or a ``CommetError``; pure, so every wire shape is testable alone.
struct ResponseReader {
    var operation: CommetOperation
    var customerID: String
    /// Removed from any server text that goes into an error.
    var apiKey: APIKey
    /// Seconds since 1970, for `Retry-After` dates.
    var now: Double

    /// The longest piece of a non-JSON body quoted in an error message.
    static let quotedBodyLimit = 200

    func read<Value: Decodable>(_ response: HTTPResponse, as type: Value.Type) -> Result<Value, CommetError> {
        guard (200..<300).contains(response.status) else {
            return .failure(error(from: response))
        }
        if let refusal = refusal(ofSuccessFlag: response) {
            return .failure(refusal)
        }
        do {
            return .success(try JSONDecoder().decode(Payload<Value>.self, from: Data(response.body)).value)
        } catch {
            var failure = makeError(.decoding, explain(error), response)
            failure.status = response.status
            return .failure(failure)
        }
    }

    /// The error an unsuccessful response stands for.
    func error(from response: HTTPResponse) -> CommetError {
        var failure = makeError(.http, "", response)
        failure.status = response.status
        failure.retryAfter = response.headers["retry-after"].flatMap { RetryAfter.parse($0, now: now) }
        if (300..<400).contains(response.status) {
            failure.message = "unexpected redirect to \(response.headers["location"] ?? "nowhere") (not followed)"
            return failure
        }
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)), !body.isEmpty {
            failure.type = body.type
            failure.code = body.code
            failure.param = body.param
            failure.details = body.details.map { FieldError(field: $0.field, message: apiKey.redacting($0.message)) }
            failure.docURL = body.docURL
            failure.message = apiKey.redacting(body.message ?? body.code ?? "no message")
        } else {
            failure.message = quoted(response.body)
        }
        return failure
    }

    /// The error for a 2xx body whose envelope says `success: false`: whatever its `data` holds, Commet did not
    /// say the operation succeeded, so its payload is not taken as a result.
    private func refusal(ofSuccessFlag response: HTTPResponse) -> CommetError? {
        guard let flag = try? JSONDecoder().decode(SuccessFlag.self, from: Data(response.body)), flag.success == false
        else { return nil }
        var failure = makeError(.invalidResponse, "the body says \"success\": false", response)
        failure.status = response.status
        if let body = try? JSONDecoder().decode(ErrorBody.self, from: Data(response.body)), !body.isEmpty {
            failure.type = body.type
            failure.code = body.code
            let said = [body.code, body.message.map(apiKey.redacting)].compactMap(\.self).joined(separator: ": ")
            failure.message += " (\(said))"
        }
        return failure
    }

    private func makeError(_ kind: CommetError.Kind, _ message: String, _ response: HTTPResponse) -> CommetError {
        CommetError(
            kind: kind,
            message: message,
            operation: operation,
            customerID: customerID,
            requestID: response.headers["x-request-id"]
        )
    }

    /// A short, single-line, redacted prefix of a body that is not a Commet error object.
    private func quoted(_ body: [UInt8]) -> String {
        let excerpt = Self.excerpt(String(decoding: body, as: UTF8.self), apiKey: apiKey, limit: Self.quotedBodyLimit)
        return excerpt.isEmpty ? "empty response body" : "body: \(excerpt)"
    }

    /// Server text as an error may quote it: on one line, without control characters, the key cut out, and at
    /// most `limit` characters (then `...`).
    static func excerpt(_ text: String, apiKey: APIKey, limit: Int) -> String {
        let words = text.split(whereSeparator: { $0.isWhitespace || $0.isNewline }).joined(separator: " ")
        let printable = String(words.unicodeScalars.filter { $0.value >= 0x20 && $0.value != 0x7F }.map(Character.init))
        let redacted = apiKey.redacting(printable)
        guard redacted.count > limit else { return redacted }
        return "\(redacted.prefix(limit))..."
    }

    private func explain(_ error: any Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        switch error {
        case .keyNotFound(let key, let context):
            return "missing \"\(key.stringValue)\" at \(path(context.codingPath))"
        case .typeMismatch(let type, let context), .valueNotFound(let type, let context):
            return "expected \(type) at \(path(context.codingPath))"
        case .dataCorrupted(let context):
            return context.codingPath.isEmpty
                ? "not JSON" : "invalid value at \(path(context.codingPath)): \(context.debugDescription)"
        @unknown default:
            return "\(error)"
        }
    }

    private struct SuccessFlag: Decodable {
        var success: Bool?
    }

    private func path(_ codingPath: [any CodingKey]) -> String {
        guard !codingPath.isEmpty else { return "top level" }
        return codingPath.map { key in key.intValue.map { "[\($0)]" } ?? ".\(key.stringValue)" }.joined()
    }
}
