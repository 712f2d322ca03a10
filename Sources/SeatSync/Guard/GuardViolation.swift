/// One guard limit a plan goes over, with the figures that show by how much.
package enum GuardViolation: Sendable, Hashable, CustomStringConvertible {
    /// The pass removes more than `max_removed_fraction` of all managed seats.
    case removedFraction(removed: Int, managed: Int, limit: Double)
    /// The pass removes more than `max_removed_seats` seats.
    case removedSeats(removed: Int, limit: Int)
    /// One customer loses more than `max_customer_removed_fraction` of its managed seats.
    case customerRemovedFraction(customer: String, removed: Int, managed: Int, limit: Double)
    /// The pass adds more than `max_added_seats` seats.
    case addedSeats(added: Int, limit: Int)
    /// One customer gains more than `max_customer_added_fraction` of its managed seats and more than
    /// `max_customer_added_seats`.
    case customerAdded(customer: String, added: Int, managed: Int, fraction: Double, seats: Int)

    package var description: String {
        switch self {
        case .removedFraction(let removed, let managed, let limit):
            return "removes \(removed) of \(managed) managed seats (\(percent(removed, of: managed))), "
                + "over max_removed_fraction \(percent(limit))"
        case .removedSeats(let removed, let limit):
            return "removes \(removed) seats, over max_removed_seats \(limit)"
        case .customerRemovedFraction(let customer, let removed, let managed, let limit):
            return "customer \(customer) loses \(removed) of \(managed) seats (\(percent(removed, of: managed))), "
                + "over max_customer_removed_fraction \(percent(limit))"
        case .addedSeats(let added, let limit):
            return "adds \(added) seats, over max_added_seats \(limit)"
        case .customerAdded(let customer, let added, let managed, let fraction, let seats):
            return "customer \(customer) gains \(added) seats on \(managed), over max_customer_added_fraction "
                + "\(percent(fraction)) and max_customer_added_seats \(seats)"
        }
    }

    /// The config key whose limit was passed, for log metadata and JSON output.
    package var limitKey: String {
        switch self {
        case .removedFraction: return "max_removed_fraction"
        case .removedSeats: return "max_removed_seats"
        case .customerRemovedFraction: return "max_customer_removed_fraction"
        case .addedSeats: return "max_added_seats"
        case .customerAdded: return "max_customer_added_fraction"
        }
    }

    /// The customer a per-customer limit names.
    var customer: String? {
        switch self {
        case .customerRemovedFraction(let customer, _, _, _), .customerAdded(let customer, _, _, _, _): return customer
        case .removedFraction, .removedSeats, .addedSeats: return nil
        }
    }
}

private func percent(_ part: Int, of whole: Int) -> String {
    percent(whole == 0 ? 0 : Double(part) / Double(whole))
}

private func percent(_ fraction: Double) -> String {
    let tenths = (fraction * 1000).rounded()
    let text = tenths.truncatingRemainder(dividingBy: 10) == 0 ? "\(Int(tenths / 10))" : "\(tenths / 10)"
    return text + "%"
}
