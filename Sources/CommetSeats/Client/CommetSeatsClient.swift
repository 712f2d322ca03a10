public import Logging

/// A client for Commet's seat API: the six seat operations, with retries, idempotency keys and an optional
/// client-wide rate limit, over libcurl.
///
/// Every write carries an `Idempotency-Key` (the caller's, or one generated per call) that stays the same on
/// every retry of that call, so a write is applied at most once however often it is sent.
public final class CommetSeatsClient: Sendable {
    let configuration: CommetConfiguration
    let endpoint: Endpoint
    let transport: CurlTransport
    let rateLimiter: RateLimiter?
    let logger: Logger

    /// Validates the configuration and prepares the transport; nothing is sent.
    /// - Parameters:
    ///   - configuration: where and how to reach Commet.
    ///   - logger: receives a warning for every retry and for deprecated endpoints, debug lines otherwise.
    /// - Throws: `CommetError` of kind `.configuration` for `http://` to a non-loopback host, a malformed URL,
    ///   an empty API key, a non-positive timeout or rate, an unreadable CA bundle, or an unusable proxy URL.
    public init(configuration: CommetConfiguration, logger: Logger) throws(CommetError) {
        try ConfigurationCheck.validate(configuration)
        self.configuration = configuration
        endpoint = try Endpoint(validating: configuration.baseURL)
        transport = try CurlTransport(
            settings: TransferSettings(
                timeout: configuration.timeout,
                connectTimeout: configuration.connectTimeout,
                caBundlePath: configuration.caBundlePath,
                // Plain http is only allowed to this machine, and a proxy would carry the key off it in clear.
                proxy: endpoint.usesTLS ? configuration.proxy : nil
            )
        )
        rateLimiter = configuration.requestsPerSecond.map { RateLimiter(requestsPerSecond: $0) }
        self.logger = logger
    }

    /// Adds seats: `POST /seats`.
    /// - Parameters:
    ///   - customerID: a Commet id (`cus_...`) or the customer's external id.
    ///   - featureCode: the seat feature code, e.g. `editor`.
    ///   - count: seats to add, at least 0.
    ///   - idempotencyKey: the write's key; a new one is generated when nil.
    /// - Returns: the recorded seat event.
    /// - Throws: `CommetError` once the request failed for good.
    public func add(
        customerID: String,
        featureCode: String,
        count: Int,
        idempotencyKey: String? = nil
    ) async throws(CommetError) -> CommetResponse<SeatEvent> {
        let request = try SeatRequest.change(
            .add,
            method: .post,
            path: "/seats",
            customerID: customerID,
            featureCode: featureCode,
            count: count,
            idempotencyKey: idempotencyKey
        )
        return try await sendChange(request, featureCode: featureCode, setTo: nil)
    }

    /// Removes seats: `POST /seats/remove`. Commet refuses to go below zero (`insufficient_seats`).
    /// - Parameters:
    ///   - customerID: a Commet id (`cus_...`) or the customer's external id.
    ///   - featureCode: the seat feature code.
    ///   - count: seats to remove, at least 0.
    ///   - idempotencyKey: the write's key; a new one is generated when nil.
    /// - Returns: the recorded seat event.
    /// - Throws: `CommetError` once the request failed for good.
    public func remove(
        customerID: String,
        featureCode: String,
        count: Int,
        idempotencyKey: String? = nil
    ) async throws(CommetError) -> CommetResponse<SeatEvent> {
        let request = try SeatRequest.change(
            .remove,
            method: .post,
            path: "/seats/remove",
            customerID: customerID,
            featureCode: featureCode,
            count: count,
            idempotencyKey: idempotencyKey
        )
        return try await sendChange(request, featureCode: featureCode, setTo: nil)
    }

    /// Sets the seat count of one feature code: `PUT /seats`.
    /// - Parameters:
    ///   - customerID: a Commet id (`cus_...`) or the customer's external id.
    ///   - featureCode: the seat feature code.
    ///   - count: the new balance, at least 0.
    ///   - idempotencyKey: the write's key; a new one is generated when nil.
    /// - Returns: the recorded seat event.
    /// - Throws: `CommetError` once the request failed for good.
    public func set(
        customerID: String,
        featureCode: String,
        count: Int,
        idempotencyKey: String? = nil
    ) async throws(CommetError) -> CommetResponse<SeatEvent> {
        let request = try SeatRequest.change(
            .set,
            method: .put,
            path: "/seats",
            customerID: customerID,
            featureCode: featureCode,
            count: count,
            idempotencyKey: idempotencyKey
        )
        return try await sendChange(request, featureCode: featureCode, setTo: count)
    }

    /// Sets several feature codes at once, each to the exact count given: `PUT /seats/bulk`. Codes not named
    /// are left as they are; name a code with 0 to bring it to zero.
    /// - Parameters:
    ///   - customerID: a Commet id (`cus_...`) or the customer's external id.
    ///   - seats: the new balance per feature code; not empty, counts at least 0.
    ///   - idempotencyKey: the write's key; a new one is generated when nil.
    /// - Returns: one seat event per code named.
    /// - Throws: `CommetError` once the request failed for good, or of kind `.invalidResponse` when the answer
    ///   does not match the request (see ``CommetError/Kind/invalidResponse``).
    public func setAll(
        customerID: String,
        seats: [String: Int],
        idempotencyKey: String? = nil
    ) async throws(CommetError) -> CommetResponse<[SeatEvent]> {
        let request = try SeatRequest.setAll(customerID: customerID, seats: seats, idempotencyKey: idempotencyKey)
        let list = try await send(request, as: SeatEventList.self)
        let response = CommetResponse(
            value: list.value.events,
            requestID: list.requestID,
            attempts: list.attempts,
            status: list.status
        )
        try ResponseCheck(request, apiKey: configuration.apiKey).setAll(response, seats: seats)
        return response
    }

    /// Reads the balance of one feature code: `GET /seats/balance`.
    /// - Parameters:
    ///   - customerID: a Commet id (`cus_...`) or the customer's external id.
    ///   - featureCode: the seat feature code.
    /// - Returns: the current balance.
    /// - Throws: `CommetError` once the request failed for good.
    public func balance(
        customerID: String,
        featureCode: String
    ) async throws(CommetError) -> CommetResponse<SeatBalance> {
        let request = try SeatRequest.balance(customerID: customerID, featureCode: featureCode)
        let response = try await send(request, as: SeatBalance.self)
        try ResponseCheck(request, apiKey: configuration.apiKey).balance(response, featureCode: featureCode)
        return response
    }

    /// Reads the balances of every feature code on the customer's active subscription: `GET /seats/balances`.
    /// - Parameter customerID: a Commet id (`cus_...`) or the customer's external id.
    /// - Returns: the balance per feature code.
    /// - Throws: `CommetError` once the request failed for good.
    public func balances(customerID: String) async throws(CommetError) -> CommetResponse<SeatBalanceCollection> {
        let request = try SeatRequest.balances(customerID: customerID)
        let response = try await send(request, as: SeatBalanceCollection.self)
        try ResponseCheck(request, apiKey: configuration.apiKey).balances(response)
        return response
    }

    /// Sends an add, remove or set and checks its event against the request: this customer and code, and for a
    /// set (`setTo`) the count written.
    private func sendChange(
        _ request: SeatRequest,
        featureCode: String,
        setTo count: Int?
    ) async throws(CommetError) -> CommetResponse<SeatEvent> {
        let response = try await send(request, as: SeatEvent.self)
        try ResponseCheck(request, apiKey: configuration.apiKey).change(
            response,
            featureCode: featureCode,
            setTo: count
        )
        return response
    }
}
