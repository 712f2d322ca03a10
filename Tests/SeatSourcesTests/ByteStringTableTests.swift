import Testing

@testable import SeatSources

private func bytes(_ text: String) -> [UInt8] { Array(text.utf8) }

@Suite struct ByteStringTableTests {
    /// Input: keys that differ only in length, case or one late byte, the empty key, and repeats.
    /// Expected: each distinct key numbered in order of first appearance, repeats get their first number.
    @Test func numbersDistinctKeysInOrderOfFirstAppearance() {
        var table = ByteStringTable()
        let keys = ["ana", "an", "ANA", "", "ana@acme.example", "ana@acme.examplf", "ana", "", "an"]
        let numbers = keys.map { key in bytes(key).withUnsafeBufferPointer { table.insert($0) } }
        #expect(numbers.map(\.number) == [0, 1, 2, 3, 4, 5, 0, 3, 1])
        #expect(numbers.map(\.inserted) == [true, true, true, true, true, true, false, false, false])
        #expect(table.count == 6)
        #expect((0..<6).map { table.string($0) } == ["ana", "an", "ANA", "", "ana@acme.example", "ana@acme.examplf"])
    }

    /// Input: 200,000 distinct generated ids added to a table that starts small, then looked up, with ids never
    /// added. Expected: the same numbers as a dictionary assigns in order; unknown ids are not found.
    @Test func agreesWithADictionaryAcrossManyGrowths() {
        var table = ByteStringTable()
        var expected: [String: Int] = [:]
        for index in 0..<200_000 {
            let key = "user\(index * 7919 % 200_003)@cust-\(index % 97).example.com"
            let number = bytes(key).withUnsafeBufferPointer { table.insert($0).number }
            if expected[key] == nil { expected[key] = expected.count }
            #expect(number == expected[key], "\(key)")
        }
        for (key, number) in expected {
            #expect(bytes(key).withUnsafeBufferPointer { table.number(of: $0) } == number)
        }
        for absent in ["user1@cust-2.example.co", "", "USER0@cust-0.example.com"] {
            #expect(bytes(absent).withUnsafeBufferPointer { table.number(of: $0) } == nil)
        }
    }

    /// Input: 1,000 keys, room reserved for 5,000 more (the slots rehashed with the first 1,000 in them), 5,000
    /// keys added, then room reserved for fewer than are free. Expected: every key keeps its number and is found;
    /// adding the 5,000 and reserving what is already free grow nothing.
    @Test func keepsEveryKeyWhenRoomIsReserved() {
        var table = ByteStringTable()
        let keys = (0..<6_000).map { bytes("uid=u\($0),ou=people,o=acme") }
        for key in keys.prefix(1_000) { _ = key.withUnsafeBufferPointer { table.insert($0) } }
        table.reserveCapacity(5_000)
        let reserved = table.slotCapacity
        for key in keys.dropFirst(1_000) { _ = key.withUnsafeBufferPointer { table.insert($0) } }
        #expect(table.slotCapacity == reserved)
        table.reserveCapacity(1)
        #expect(table.slotCapacity == reserved)
        let wrong = keys.indices.filter { index in keys[index].withUnsafeBufferPointer { table.number(of: $0) } != index
        }
        #expect(wrong.isEmpty, "\(wrong.count) keys lost their number, first \(wrong.prefix(3))")
        #expect(table.count == 6_000)
    }
}
