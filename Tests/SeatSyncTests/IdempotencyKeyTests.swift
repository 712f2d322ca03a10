import Testing

@testable import SeatSync

struct IdempotencyKeyTests {
    @Test(
        "FNV-1a 128 matches the published test vectors",
        arguments: [
            ("", "6c62272e07bb014262b821756295c58d"),
            ("a", "d228cb696f1a8caf78912b704e4a8964"),
            ("foobar", "343e1662793c64bf6f0d3597ba446f18"),
        ]
    )
    func fnvVectors(input: String, expected: String) {
        var hash = FNV1a128()
        hash.add(input.utf8)
        #expect(hash.hex == expected)
    }

    static let base = (pass: "p1", customer: "acme", observed: ["editor": 3, "viewer": 10], desired: ["editor": 5])

    @Test("same inputs give the same key, whatever the dictionary order")
    func stable() {
        let first = IdempotencyKey.derive(
            pass: "p1",
            customer: "acme",
            observed: ["editor": 3, "viewer": 10],
            desired: ["editor": 5]
        )
        let second = IdempotencyKey.derive(
            pass: "p1",
            customer: "acme",
            observed: ["viewer": 10, "editor": 3],
            desired: ["editor": 5]
        )
        #expect(first == second)
        #expect(first.hasPrefix("seat-sync-"))
        #expect(first.count == "seat-sync-".count + 32)
    }

    @Test(
        "changing any one input changes the key",
        arguments: [
            ("another pass", "p2", "acme", ["editor": 3, "viewer": 10], ["editor": 5]),
            ("another customer", "p1", "globex", ["editor": 3, "viewer": 10], ["editor": 5]),
            ("another observed balance", "p1", "acme", ["editor": 4, "viewer": 10], ["editor": 5]),
            ("another desired count", "p1", "acme", ["editor": 3, "viewer": 10], ["editor": 6]),
            ("a code moved from observed to desired", "p1", "acme", ["editor": 3], ["editor": 5, "viewer": 10]),
            ("field boundaries shifted", "p1a", "cme", ["editor": 3, "viewer": 10], ["editor": 5]),
        ]
    )
    func sensitive(name: String, pass: String, customer: String, observed: [String: Int], desired: [String: Int]) {
        let reference = IdempotencyKey.derive(
            pass: Self.base.pass,
            customer: Self.base.customer,
            observed: Self.base.observed,
            desired: Self.base.desired
        )
        #expect(
            IdempotencyKey.derive(pass: pass, customer: customer, observed: observed, desired: desired) != reference
        )
    }
}
