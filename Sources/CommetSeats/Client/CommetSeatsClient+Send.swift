import Logging

#if canImport(FoundationEssentials)
import FoundationEssentials
#else
import Foundation
#endif

extension CommetSeatsClient {
    /// Sends `request` until it succeeds, fails for good, or the retry policy is spent.
    func send<Value: Decodable & Sendable>(
        _ request: SeatRequest,
        as type: Value.Type
    ) async throws(CommetError) -> CommetResponse<Value> {
        let httpRequest = HTTPRequest(
            method: request.method,
            url: endpoint.url(request.path, query: request.query),
            headers: headers(for: request),
            body: request.body
        )
        var attempt = 0
        while true {
            attempt += 1
            if let rateLimiter {
                do {
                    try await rateLimiter.acquire()
                } catch {
                    throw cancelled(request, attempts: attempt - 1)
                }
            }
            var failure: CommetError
            switch await transport.send(httpRequest) {
            case .success(let response):
                logDeprecation(response, request)
                let reader = ResponseReader(
                    operation: request.operation,
                    customerID: request.customerID,
                    apiKey: configuration.apiKey,
                    now: Date().timeIntervalSince1970
                )
                switch reader.read(response, as: Value.self) {
                case .success(let value):
                    logger.debug(
                        "Commet request succeeded",
                        metadata: metadata(request, status: response.status, response.headers["x-request-id"], attempt)
                    )
                    return CommetResponse(
                        value: value,
                        requestID: response.headers["x-request-id"],
                        attempts: attempt,
                        status: response.status
                    )
                case .failure(let error):
                    failure = error
                }
                if response.status == 429 {
                    rateLimiter?.slowDown()
                }
            case .failure(let transportFailure):
                failure = error(from: transportFailure, request)
            }
            failure.attempts = attempt
            let delay = configuration.retry.delay(
                afterAttempt: attempt,
                failedWith: failure,
                jitterSample: Double.random(in: 0..<1)
            )
            guard let delay else { throw failure }
            logRetry(failure, request, attempt: attempt, delay: delay)
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw cancelled(request, attempts: attempt)
            }
        }
    }

    private func headers(for request: SeatRequest) -> [String] {
        var headers = [
            "x-api-key: \(configuration.apiKey.secret)",
            "Accept: application/json",
            "Commet-Version: \(CommetSeats.apiVersion)",
            "User-Agent: \(configuration.userAgent)",
        ]
        if request.body != nil {
            headers.append("Content-Type: application/json")
        }
        if let key = request.idempotencyKey {
            headers.append("Idempotency-Key: \(key)")
        }
        return headers
    }

    private func error(from failure: TransportFailure, _ request: SeatRequest) -> CommetError {
        var error = CommetError(kind: .connection, message: "", operation: request.operation)
        error.customerID = request.customerID
        switch failure {
        case .timeout(let detail):
            error.kind = .timeout
            error.message = "no complete response within \(configuration.timeout.secondsText): \(detail)"
        case .connection(let detail, let transient):
            error.message = configuration.apiKey.redacting(detail)
            error.isTransient = transient
        case .bodyTooLarge(let limit):
            error.kind = .decoding
            error.message = "response body larger than \(limit) bytes"
        case .cancelled:
            error.kind = .cancelled
            error.message = "the calling task was cancelled during the request"
        }
        return error
    }

    private func cancelled(_ request: SeatRequest, attempts: Int) -> CommetError {
        CommetError(
            kind: .cancelled,
            message: "the calling task was cancelled before the request was sent",
            operation: request.operation,
            customerID: request.customerID,
            attempts: attempts
        )
    }

    private func metadata(
        _ request: SeatRequest,
        status: Int?,
        _ requestID: String?,
        _ attempt: Int
    )
        -> Logger.Metadata
    {
        var metadata: Logger.Metadata = [
            "operation": "\(request.operation)",
            "customer": "\(request.customerID)",
            "attempt": "\(attempt)",
        ]
        if let status {
            metadata["status"] = "\(status)"
        }
        if let requestID {
            metadata["request.id"] = "\(requestID)"
        }
        return metadata
    }

    private func logRetry(_ failure: CommetError, _ request: SeatRequest, attempt: Int, delay: Duration) {
        var metadata = metadata(request, status: failure.status, failure.requestID, attempt)
        metadata["attempt"] = "\(attempt)/\(configuration.retry.maxRetries + 1)"
        metadata["retry.in"] = "\(delay.secondsText)"
        metadata["reason"] = "\(failure.message)"
        if let code = failure.code {
            metadata["code"] = "\(code)"
        }
        if failure.kind != .http {
            metadata["failure"] = "\(failure.kind)"
        }
        logger.warning("Commet request failed, retry in \(delay.secondsText)", metadata: metadata)
    }

    /// One warning per response that marks its endpoint deprecated, naming the successor when Commet gives one.
    private func logDeprecation(_ response: HTTPResponse, _ request: SeatRequest) {
        guard let deprecation = response.headers["deprecation"] else { return }
        var metadata = metadata(request, status: response.status, response.headers["x-request-id"], 1)
        metadata.removeValue(forKey: "attempt")
        metadata["deprecation"] = "\(deprecation)"
        if let sunset = response.headers["sunset"] {
            metadata["sunset"] = "\(sunset)"
        }
        if let link = response.headers["link"] {
            metadata["successor"] = "\(LinkHeader.successor(in: link) ?? link)"
        }
        logger.warning("Commet marks this endpoint deprecated", metadata: metadata)
    }
}
