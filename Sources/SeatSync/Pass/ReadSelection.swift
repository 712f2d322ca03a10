import Foundation
import SeatSources

/// Which customers a pass reads, and why: a full pass reads everyone; an incremental one reads what changed,
/// what has unfinished business, and a rotating slice of the rest, so that every customer is read at least once
/// per `schedule.full_resync`. Pure: the same inputs, the same choice.
struct ReadSelection: Sendable {
    /// Why a customer is read.
    enum Reason: String, Sendable, Hashable, CaseIterable {
        /// A full pass.
        case full
        /// Its desired seats changed since its last read, or it was never read.
        case changed
        /// A failed, held, pending or approved line, which only a read can settle.
        case due
        /// Its turn in the slice: the longest unread first.
        case slice
    }

    /// The customers to read, in order: changed first, then due, then the slice.
    var read: [(customer: String, reason: Reason)]
    /// The customers left unread, with what their last read confirmed.
    var unread: [String: CustomerRecord]
    /// Whether this is a full pass's selection.
    var isFull = false

    /// Every customer, for a full pass.
    static func full(_ customers: [String]) -> ReadSelection {
        ReadSelection(read: customers.map { ($0, .full) }, unread: [:], isFull: true)
    }

    /// The customers an incremental pass reads.
    /// - Parameters:
    ///   - customers: every customer the sources (and `zero_customers`) name.
    ///   - desired: each customer's ``DesiredDigest``.
    ///   - records: what earlier reads confirmed.
    ///   - due: customers with unfinished business (failed last time, held, pending, approved).
    ///   - slice: whether to add the rotating slice (interval passes do; a pass a replaced file triggers does
    ///     not, so the changed customers are written without waiting for it).
    ///   - now: the pass's time.
    ///   - interval: the time between passes.
    ///   - fullResync: every customer is read at least this often.
    static func incremental(
        _ customers: [String],
        desired: [String: String],
        records: [String: CustomerRecord],
        due: Set<String>,
        slice: Bool,
        now: Date,
        interval: Duration,
        fullResync: Duration
    ) -> ReadSelection {
        var read: [(String, Reason)] = []
        var rest: [(customer: String, record: CustomerRecord)] = []
        for customer in customers {
            guard let record = records[customer], record.desired == desired[customer] else {
                read.append((customer, .changed))
                continue
            }
            if due.contains(customer) {
                read.append((customer, .due))
            } else {
                rest.append((customer, record))
            }
        }
        read.sort { ($0.1 == .changed ? 0 : 1, $0.0) < ($1.1 == .changed ? 0 : 1, $1.0) }
        var unread: [String: CustomerRecord] = [:]
        for (customer, record) in rest { unread[customer] = record }
        guard slice else { return ReadSelection(read: read, unread: unread) }

        // The slice: every customer whose last read would be older than full_resync by the next pass, plus the
        // longest unread ones up to an even share (interval / full_resync of all customers), so reads spread
        // evenly over passes instead of coming in a burst once an hour.
        let share = Int((Double(customers.count) * interval.timeInterval / fullResync.timeInterval).rounded(.up))
        let deadline = now.addingTimeInterval(-(fullResync - interval).timeInterval)
        let oldestFirst = rest.sorted { ($0.record.confirmedAt, $0.customer) < ($1.record.confirmedAt, $1.customer) }
        for (index, entry) in oldestFirst.enumerated() where index < share || entry.record.confirmedAt <= deadline {
            read.append((entry.customer, .slice))
            unread[entry.customer] = nil
        }
        return ReadSelection(read: read, unread: unread)
    }
}
