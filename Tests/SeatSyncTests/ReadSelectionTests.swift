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

    @Test("a customer whose last read would be a full_resync old by the next pass is read, beyond the share")
    func deadline() {
        // Input: x read 56 min ago, y 50 min ago, z 1 min ago; share ceil(3 * 5 / 60) = 1; interval 5m.
        // Expected: x (the share, and due by the deadline); y would be 55 min old at the next pass: not yet.
        let selection = ReadSelection.incremental(
            ["x", "y", "z"],
            desired: ["x": "X", "y": "Y", "z": "Z"],
            records: [
                "x": Self.record("X", ago: 3360), "y": Self.record("Y", ago: 3000), "z": Self.record("Z", ago: 60),
            ],
            due: [],
            slice: true,
            now: Self.now,
            interval: .seconds(300),
            fullResync: .seconds(3600)
        )
        #expect(selection.read.map(\.customer) == ["x"])
        let overdue = ReadSelection.incremental(
            ["x", "y", "z"],
            desired: ["x": "X", "y": "Y", "z": "Z"],
            records: [
                "x": Self.record("X", ago: 3360), "y": Self.record("Y", ago: 3300), "z": Self.record("Z", ago: 60),
            ],
            due: [],
            slice: true,
            now: Self.now,
            interval: .seconds(300),
            fullResync: .seconds(3600)
        )
        #expect(overdue.read.map(\.customer) == ["x", "y"])
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
