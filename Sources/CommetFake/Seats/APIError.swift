/// A Commet error answer: status, code and the fields of the `{"error": {...}}` body.
struct APIError: Error, Hashable {
    /// One entry of `details` on a `validation_error`.
    struct FieldProblem: Hashable {
        var field: String
        var message: String
    }

    var status: Int
    var code: String
    var message: String
    var param: String?
    var details: [FieldProblem] = []
    var retryAfter: String?

    /// The 409 for a key already used with another request.
    static func idempotencyKeyMismatch(_ key: String) -> APIError {
        idempotencyConflict("idempotency_key_mismatch", "Idempotency-Key '\(key)' was used with another request")
    }

    /// The 409 for a key whose first request is still being processed.
    static func idempotencyInProgress(_ key: String) -> APIError {
        idempotencyConflict(
            "idempotency_in_progress",
            "a request with Idempotency-Key '\(key)' is still being processed"
        )
    }

    private static func idempotencyConflict(_ code: String, _ message: String) -> APIError {
        APIError(status: 409, code: code, message: message, param: "Idempotency-Key")
    }

    /// The error `type` Commet pairs with each code (from the error reference of API version
    /// 2026-08-27); a code it does not list is reported as `api_error`, as the SDK defaults.
    var type: String {
        switch code {
        case "unauthorized", "forbidden": "authentication_error"
        case "validation_error", "invalid_json": "validation_error"
        case "not_found", "customer_not_found", "no_active_subscription", "feature_not_found": "not_found_error"
        case "feature_not_in_plan", "insufficient_seats": "billing_error"
        case "idempotency_key_mismatch", "idempotency_in_progress": "conflict_error"
        case "rate_limited": "rate_limit_error"
        case "internal_error", "idempotency_unavailable": "internal_error"
        case "invalid_request", "length_required", "payload_too_large": "invalid_request_error"
        default: "api_error"
        }
    }

    var body: JSONValue {
        let detailValues: JSONValue =
            details.isEmpty
            ? .null
            : .array(details.map { ["field": .string($0.field), "message": .string($0.message)] })
        return [
            "error": [
                "type": .string(type),
                "code": .string(code),
                "message": .string(message),
                "param": param.map(JSONValue.string) ?? .null,
                "details": detailValues,
                "doc_url": .string("https://commet.co/docs/errors/\(code)"),
            ]
        ]
    }

    static func validation(_ problems: [FieldProblem]) -> APIError {
        APIError(
            status: 422,
            code: "validation_error",
            message: problems.map { "\($0.field): \($0.message)" }.joined(separator: "; "),
            param: problems.first?.field,
            details: problems
        )
    }

    static func invalidJSON(_ reason: String) -> APIError {
        APIError(status: 400, code: "invalid_json", message: "request body is not valid JSON: \(reason)")
    }

    static func customerNotFound(_ customer: String) -> APIError {
        APIError(status: 404, code: "customer_not_found", message: "no customer '\(customer)'", param: "customerId")
    }

    static func noActiveSubscription(_ customer: String) -> APIError {
        APIError(
            status: 404,
            code: "no_active_subscription",
            message: "customer '\(customer)' has no active subscription",
            param: "customerId"
        )
    }

    static func featureNotFound(_ feature: String, param: String) -> APIError {
        APIError(
            status: 404,
            code: "feature_not_found",
            message: "no seat feature '\(feature)' in this organization",
            param: param
        )
    }

    static func featureNotInPlan(_ feature: String, customer: String, param: String) -> APIError {
        APIError(
            status: 409,
            code: "feature_not_in_plan",
            message: "seat feature '\(feature)' is not on the plan of customer '\(customer)'",
            param: param
        )
    }

    static func insufficientSeats(_ feature: String, balance: Int, removing: Int) -> APIError {
        APIError(
            status: 409,
            code: "insufficient_seats",
            message: "cannot remove \(removing) '\(feature)' seats from a balance of \(balance)",
            param: "count"
        )
    }
}
