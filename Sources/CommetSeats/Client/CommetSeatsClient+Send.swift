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
                    throw cancelled(request, attempts: attempt - 1, while: "waiting for the rate limit")
                }
            }
            var failure: CommetError
            switch await sendOnce(httpRequest, request, attempt: attempt, as: Value.self) {
            case .success(let response):
                return response
            case .failure(let error):
                failure = error
            }
            failure.attempts = attempt
            let jitterSample = Double.random(in: 0..<1)
            guard
                let delay = configuration.retry.delay(
                    afterAttempt: attempt,
                    failedWith: failure,
                    jitterSample: jitterSample
                )
            else { throw failure }
            logRetry(failure, request, attempt: attempt, delay: delay)
            do {
                try await Task.sleep(for: delay)
            } catch {
                throw cancelled(request, attempts: attempt, while: "waiting to retry")
            }
        }
    }

    /// One attempt: the transfer, then the response read as a payload or an error.
    private func sendOnce<Value: Decodable & Sendable>(
        _ httpRequest: HTTPRequest,
        _ request: SeatRequest,
        attempt: Int,
        as type: Value.Type
    ) async -> Result<CommetResponse<Value>, CommetError> {
        let response: HTTPResponse
        switch await transport.send(httpRequest) {
        case .success(let received):
            response = received
        case .failure(let failure):
            return .failure(error(from: failure, request))
        }
        logDeprecation(response, request)
        if response.status == 429 {
            rateLimiter?.slowDown()
        }
        let reader = ResponseReader(
            operation: request.operation,
            customerID: request.customerID,
            apiKey: configuration.apiKey,
            now: Date().timeIntervalSince1970
        )
        let requestID = response.headers["x-request-id"]
        return reader.read(response, as: Value.self).map { value in
            logger.debug(
                "Commet request succeeded",
                metadata: metadata(request, status: response.status, requestID, attempt)
            )
            return CommetResponse(value: value, requestID: requestID, attempts: attempt, status: response.status)
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
        case .tlsHandshakeUnanswered(let detail):
            error.message =
                "the server at \(endpoint.server) did not answer the TLS handshake; is it plain http? "
                + "(\(configuration.apiKey.redacting(detail)))"
            error.isTransient = false
        case .bodyTooLarge(let limit):
            error.kind = .decoding
            error.message = "response body larger than \(limit) bytes"
        case .cancelled:
            error.kind = .cancelled
            error.message = "the calling task was cancelled while the request was in flight"
        }
        return error
    }

    private func cancelled(_ request: SeatRequest, attempts: Int, while activity: String) -> CommetError {
        CommetError(
            kind: .cancelled,
            message: "the calling task was cancelled while \(activity)",
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
    ) -> Logger.Metadata {
        var metadata: Logger.Metadata = [
            "operation": "\(request.operation)",
            "customer": "\(request.customerID)",
            // Numbers as `.stringConvertible`, which JSON log lines keep as numbers.
            "attempt": .stringConvertible(attempt),
        ]
        if let status {
            metadata["status"] = .stringConvertible(status)
        }
        if let requestID {
            metadata["request_id"] = "\(requestID)"
        }
        return metadata
    }

    private func logRetry(_ failure: CommetError, _ request: SeatRequest, attempt: Int, delay: Duration) {
        var metadata = metadata(request, status: failure.status, failure.requestID, attempt)
        metadata["attempt"] = "\(attempt)/\(configuration.retry.maxRetries + 1)"
        metadata["retry_in"] = "\(delay.secondsText)"
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
