/// One code's move made by a write: the balance before and the balance the write asked for.
struct SeatChange: Hashable {
    var featureCode: String
    var previousBalance: Int
    var newBalance: Int
}

/// The organization's seat features and every customer's subscription and balances:
/// the state Commet keeps, and the rules it enforces on it.
struct SeatBook {
    private struct Customer {
        var subscribed: Bool
        /// The plan's seat features and their current balances.
        var balances: [String: Int]
    }

    private var customers: [String: Customer] = [:]
    private var organizationFeatures: Set<String> = []
    /// Customers whose decreases only take effect at renewal; kept apart from `customers`
    /// so that the mode can be set before or after the customer is added.
    private var deferringCustomers: Set<String> = []

    mutating func addCustomer(_ id: String, plan: [String: Int], subscribed: Bool) {
        customers[id] = Customer(subscribed: subscribed, balances: plan)
        organizationFeatures.formUnion(plan.keys)
    }

    mutating func addOrganizationFeatures(_ codes: [String]) {
        organizationFeatures.formUnion(codes)
    }

    mutating func deferDecreases(for customer: String) {
        deferringCustomers.insert(customer)
    }

    /// Sets a balance the way a dashboard edit would, adding the feature to the plan (and
    /// the customer, subscribed) when missing.
    mutating func setBalance(customer: String, feature: String, count: Int) {
        customers[customer, default: Customer(subscribed: true, balances: [:])].balances[feature] = count
        organizationFeatures.insert(feature)
    }

    /// Every balance of a known customer, subscribed or not; empty for an unknown one.
    func storedBalances(of customer: String) -> [String: Int] {
        customers[customer]?.balances ?? [:]
    }

    /// - Throws: `customer_not_found`, `no_active_subscription`, `feature_not_found`, `feature_not_in_plan`.
    func balance(customer: String, feature: String) throws(APIError) -> Int {
        let balances = try subscribedBalances(of: customer)
        try checkOnPlan(feature, in: balances, customer: customer, param: "featureCode")
        return balances[feature]!
    }

    /// - Throws: `customer_not_found`, `no_active_subscription`.
    func balances(of customer: String) throws(APIError) -> [String: Int] {
        try subscribedBalances(of: customer)
    }

    /// Carries out a write: every code is checked before anything changes, so a failing
    /// setAll leaves all balances as they were.
    /// - Returns: the change of every code the write names, in code order.
    /// - Throws: the first check that fails: customer, subscription, each code, then the counts.
    mutating func apply(_ write: SeatWrite) throws(APIError) -> [SeatChange] {
        let balances = try subscribedBalances(of: write.customerID)
        var changes: [SeatChange] = []
        for code in write.seats.keys.sorted() {
            let param = write.kind == .setAll ? "seats.\(code)" : "featureCode"
            try checkOnPlan(code, in: balances, customer: write.customerID, param: param)
            let previous = balances[code]!
            let count = write.seats[code]!
            let next: Int
            switch write.kind {
            case .add:
                let (sum, overflow) = previous.addingReportingOverflow(count)
                guard !overflow else { throw .validation([.init(field: "count", message: "is too large")]) }
                next = sum
            case .remove:
                guard count <= previous else { throw .insufficientSeats(code, balance: previous, removing: count) }
                next = previous - count
            case .set, .setAll:
                next = count
            }
            changes.append(SeatChange(featureCode: code, previousBalance: previous, newBalance: next))
        }
        let defers = deferringCustomers.contains(write.customerID)
        for change in changes where !(defers && change.newBalance < change.previousBalance) {
            customers[write.customerID]!.balances[change.featureCode] = change.newBalance
        }
        return changes
    }

    private func subscribedBalances(of customer: String) throws(APIError) -> [String: Int] {
        guard let record = customers[customer] else { throw .customerNotFound(customer) }
        guard record.subscribed else { throw .noActiveSubscription(customer) }
        return record.balances
    }

    private func checkOnPlan(
        _ feature: String,
        in balances: [String: Int],
        customer: String,
        param: String
    ) throws(APIError) {
        guard organizationFeatures.contains(feature) else { throw .featureNotFound(feature, param: param) }
        guard balances[feature] != nil else {
            throw .featureNotInPlan(feature, customer: customer, param: param)
        }
    }
}
