package import Foundation

/// A change the guard held: one feature code of one customer, from the balance seen to the count the sources
/// want. It is a decision recorded in the state, kept on later passes until approved or no longer wanted; a
/// different change for the same code (3 -> 1 instead of 3 -> 2) is a new decision.
package struct HeldChange: Sendable, Hashable, Codable, Comparable {
    package var customer: String
    package var feature: String
    package var from: Int
    package var to: Int
    /// When the guard first held this exact change.
    package var heldSince: Date

    package init(customer: String, feature: String, from: Int, to: Int, heldSince: Date) {
        self.customer = customer
        self.feature = feature
        self.from = from
        self.to = to
        self.heldSince = heldSince
    }

    /// Whether the change lowers the balance.
    package var isDecrease: Bool { to < from }

    /// Whether `other` is the same decision: same customer, code, from and to (whenever it was held).
    func isSameChange(as other: HeldChange) -> Bool {
        customer == other.customer && feature == other.feature && from == other.from && to == other.to
    }

    package static func < (lhs: HeldChange, rhs: HeldChange) -> Bool {
        (lhs.customer, lhs.feature, lhs.from, lhs.to) < (rhs.customer, rhs.feature, rhs.from, rhs.to)
    }

    enum CodingKeys: String, CodingKey {
        case customer, feature, from, to
        case heldSince = "held_since"
    }
}

/// A set of held changes and the id an operator approves it by.
///
/// The id is derived from the changes themselves (not from when they were held), so `seat-sync held` and
/// `seat-sync approve ID` agree on it only while the set is exactly the one the operator reviewed.
package struct HeldSet: Sendable, Hashable {
    package let changes: [HeldChange]

    package init(_ changes: [HeldChange]) {
        self.changes = changes.sorted()
    }

    /// 16 hex digits of FNV-1a over the sorted changes; empty sets have an id too.
    package var id: String {
        var hash = FNV1a128()
        hash.field(String(changes.count))
        for change in changes {
            hash.field(change.customer)
            hash.field(change.feature)
            hash.field(String(change.from))
            hash.field(String(change.to))
        }
        return String(hash.hex.prefix(16))
    }

    /// The part of the set for one customer.
    package func only(customer: String) -> HeldSet {
        HeldSet(changes.filter { $0.customer == customer })
    }
}
