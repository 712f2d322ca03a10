/// Why an approval could not be given or taken; each reads as one line that says what to do.
package enum ApprovalError: Error, Sendable, Hashable, CustomStringConvertible {
    /// The held set is no longer the one the operator reviewed.
    case setChanged(reviewed: String, current: String)
    /// Nothing is held.
    case nothingHeld
    /// `--customer` names a customer with nothing held.
    case customerNotHeld(customer: String, setID: String)

    package var description: String {
        switch self {
        case .setChanged(let reviewed, let current):
            return "the held set is \(current) now, not \(reviewed): it changed since it was reviewed; "
                + "review it again with seat-sync held"
        case .nothingHeld:
            return "nothing is held: there is nothing to approve"
        case .customerNotHeld(let customer, let setID):
            return "held set \(setID) holds nothing for customer \(customer); see seat-sync held"
        }
    }
}
