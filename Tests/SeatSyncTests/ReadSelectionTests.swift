import Foundation
import Testing

@testable import SeatSync

struct ReadSelectionTests {
    static let now = Date(timeIntervalSince1970: 100_000)

    static func record(_ digest: String, ago seconds: TimeInterval) -> CustomerRecord {
        CustomerRecord(desired: digest, balances: ["editor": 1], confirmedAt: now.addingTimeInterval(-seconds))
    }

    @Test("changed first, then due, then the oldest of the rest up to interval / full_resync of all customers")
    func order() {
        // Input: a..f; b's digest changed, e was never read, d is due; the others were read 10, 20, 30 min ago.
        // 6 customers at 5m / 1h give a share of 1. Expected: b, e (changed), d (due), then c (the oldest).
        let selection = ReadSelection.incremental(
            ["a", "b", "c", "d", "e", "f"],
            desired: ["a": "A", "b": "B2", "c": "C", "d": "D", "e": "E", "f": "F"],
            records: [
                "a": Self.record("A", ago: 600), "b": Self.record("B1", ago: 600), "c": Self.record("C", ago: 1800),
                "d": Self.record("D", ago: 60), "f": Self.record("F", ago: 1200),
            ],
            due: ["d"],
            slice: true,
            now: Self.now,
            interval: .seconds(300),
            fullResync: .seconds(3600)
        )
        #expect(selection.read.map(\.customer) == ["b", "e", "d", "c"])
        #expect(selection.read.map(\.reason) == [.changed, .changed, .due, .slice])
        #expect(selection.unread.keys.sorted() == ["a", "f"])
    }

    @Test(
        "a customer whose last read would be a full_resync old by the next pass is read, beyond the share",
        arguments: [
            // y 50 min old now, 55 min at the next pass: not yet due; only x, the share, is read.
            (3000.0, ["x"]),
            // y 55 min old now, 60 min at the next pass: read beyond the share.
            (3300.0, ["x", "y"]),
        ]
    )
    func deadline(yAgo: TimeInterval, read: [String]) {
        // Input: x read 56 min ago, y yAgo seconds ago, z 1 min ago; share ceil(3 * 5 / 60) = 1; interval 5m.
        // Expected: x (the share, and due by the deadline), then y when its deadline falls before the next pass.
        let selection = ReadSelection.incremental(
            ["x", "y", "z"],
            desired: ["x": "X", "y": "Y", "z": "Z"],
            records: [
                "x": Self.record("X", ago: 3360), "y": Self.record("Y", ago: yAgo), "z": Self.record("Z", ago: 60),
            ],
            due: [],
            slice: true,
            now: Self.now,
            interval: .seconds(300),
            fullResync: .seconds(3600)
        )
        #expect(selection.read.map(\.customer) == read)
    }

    @Test("without the slice (a pass a replaced file brings forward) only changed and due customers are read")
    func noSlice() {
        let selection = ReadSelection.incremental(
            ["a", "b"],
            desired: ["a": "A", "b": "B"],
            records: ["a": Self.record("A", ago: 7200), "b": Self.record("B0", ago: 10)],
            due: [],
            slice: false,
            now: Self.now,
            interval: .seconds(300),
            fullResync: .seconds(3600)
        )
        #expect(selection.read.map(\.customer) == ["b"])
        #expect(selection.unread.keys.sorted() == ["a"])
    }
}
