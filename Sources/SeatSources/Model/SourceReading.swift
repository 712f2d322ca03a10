package import Foundation

/// A feature code granted to one user, and the first place the source said so.
package struct Grant: Sendable, Hashable {
    package var feature: String
    package var at: Provenance

    package init(feature: String, at: Provenance) {
        self.feature = feature
        self.at = at
    }
}

/// What one source says about one user of one customer, as ``UserTable`` hands it out.
package struct UserFacts: Sendable, Hashable {
    /// The user id as first written in the source.
    package var id: String
    /// One grant per feature code, in the order the source first named them.
    package var grants: [Grant]
}

/// A pre-counted number of seats for one feature code, and where it was read.
package struct CountFact: Sendable, Hashable {
    package var count: Int
    package var at: Provenance

    package init(count: Int, at: Provenance) {
        self.count = count
        self.at = at
    }
}

/// Everything one source says about one customer.
package struct CustomerFacts: Sendable {
    /// The users the source lists, one per ``UserKey``.
    package internal(set) var users = UserTable()
    /// Pre-counted seats keyed by feature code.
    package var counts: [String: CountFact]

    package init(counts: [String: CountFact] = [:]) {
        self.counts = counts
    }

    /// Records that the source lists user `id`, who holds no feature code until granted one.
    /// - Returns: the user's number in ``users``, for ``grant(_:feature:at:)``.
    @discardableResult
    package mutating func add(user id: String) -> Int {
        var id = id
        return id.withUTF8 { users.user(written: $0) }
    }

    /// Records that the user numbered `user` by ``add(user:)`` holds `feature`.
    mutating func grant(_ user: Int, feature: String, at: Provenance) {
        users.grant(user, feature: featureNumber(feature), place: placeNumber(of: at), line: at.line)
    }

    /// Records that user `id` holds `feature`, merging with what is already known of that user; a repeated grant
    /// keeps its first provenance.
    package mutating func grant(user id: String, feature: String, at: Provenance) {
        var id = id
        id.withUTF8 { grant(user: $0, feature: feature, at: at) }
    }

    /// Records that the user whose id is the UTF-8 `id` holds `feature`.
    mutating func grant(user id: UnsafeBufferPointer<UInt8>, feature: String, at: Provenance) {
        grant(users.user(written: id), feature: feature, at: at)
    }

    /// The number ``grant(user:feature:place:line:)`` takes for `feature`.
    mutating func featureNumber(_ feature: String) -> UInt32 {
        users.featureNumber(feature)
    }

    /// The number ``grant(user:feature:place:line:)`` takes for where `at` says a grant was read.
    mutating func placeNumber(of at: Provenance) -> UInt32 {
        users.placeNumber(file: at.file, detail: at.detail)
    }

    /// Records that the user whose id is the UTF-8 `id` holds the feature numbered `feature`, read at `place`
    /// (numbered by ``featureNumber(_:)`` and ``placeNumber(of:)``) on `line`.
    mutating func grant(user id: UnsafeBufferPointer<UInt8>, feature: UInt32, place: UInt32, line: Int) {
        users.grant(users.user(written: id), feature: feature, place: place, line: line)
    }
}

/// How user ids are compared: a user is one identity whatever the case of its id.
package enum UserKey {
    package static func of(_ id: String) -> String { id.lowercased() }

    /// Calls `body` with the UTF-8 of ``of(_:)`` applied to the UTF-8 id `id`, without building a `String` when
    /// the id is ASCII, as ids almost always are.
    ///
    /// ASCII ids are checked and folded eight bytes at a time: byte by byte, the check was a fifth of putting a
    /// CSV row's user into its customer's table.
    static func withFolded<Result>(
        _ id: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        guard let base = id.baseAddress.map(UnsafeRawPointer.init), id.count >= 8 else {
            return try withFoldedShort(id, body)
        }
        var high: UInt64 = 0
        var capitals: UInt64 = 0
        // The last word overlaps the one before it when the length is not a multiple of eight.
        for offset in stride(from: 0, to: id.count, by: 8) {
            let word = base.loadUnaligned(fromByteOffset: min(offset, id.count - 8), as: UInt64.self)
            high |= word
            capitals |= capitalLetters(word)
        }
        guard high & highBits == 0 else { return try folded(id, body) }
        guard capitals != 0 else { return try body(id) }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: id.count) { buffer in
            let target = UnsafeMutableRawPointer(buffer.baseAddress!)
            for offset in stride(from: 0, to: id.count, by: 8) {
                let at = min(offset, id.count - 8)
                let word = base.loadUnaligned(fromByteOffset: at, as: UInt64.self)
                target.storeBytes(of: word | capitalLetters(word) >> 2, toByteOffset: at, as: UInt64.self)
            }
            return try body(UnsafeBufferPointer(buffer))
        }
    }

    private static let highBits: UInt64 = 0x8080_8080_8080_8080

    /// The high bit of every byte of `word` that is `A` to `Z`; `word` must be ASCII. Adding `0x80 - 0x41` sets a
    /// byte's high bit from `A` on, adding `0x80 - 0x5B` from past `Z` on; no sum carries into the next byte.
    private static func capitalLetters(_ word: UInt64) -> UInt64 {
        (word &+ 0x3F3F_3F3F_3F3F_3F3F) & ~(word &+ 0x2525_2525_2525_2525) & highBits
    }

    private static func withFoldedShort<Result>(
        _ id: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        var hasCapital = false
        for byte in id {
            guard byte < 0x80 else { return try folded(id, body) }
            if byte &- 0x41 < 26 { hasCapital = true }
        }
        guard hasCapital else { return try body(id) }
        return try withUnsafeTemporaryAllocation(of: UInt8.self, capacity: id.count) { buffer in
            for (index, byte) in id.enumerated() { buffer[index] = byte &- 0x41 < 26 ? byte | 0x20 : byte }
            return try body(UnsafeBufferPointer(buffer))
        }
    }

    /// An id that is not ASCII, folded as a `String`.
    private static func folded<Result>(
        _ id: UnsafeBufferPointer<UInt8>,
        _ body: (UnsafeBufferPointer<UInt8>) throws -> Result
    ) rethrows -> Result {
        var folded = of(String(decoding: id, as: UTF8.self))
        return try folded.withUTF8(body)
    }
}

/// The result of reading one source whole: facts per customer, plus what the operator should hear about.
package struct SourceReading: Sendable {
    /// The configured source name.
    package var source: String
    /// The file that was read; for a command source, ``SourceCommand/label``.
    package var file: String
    /// Facts keyed by customer id, exactly as the source writes it (trimmed).
    package var customers: [String: CustomerFacts]
    /// Role values that no mapping names, with how often each occurred; reported once per pass.
    package var unmappedRoles: [String: Int]
    /// Findings that do not stop the pass (an unresolved `memberUid`, a dynamic group).
    package var notes: [SourceNote]
    /// Per customer, the users listed but seated under no code, with why; only with
    /// ``SourceSettings/keepsExplanations``.
    package var skippedUsers: [String: [SkippedUser]] = [:]
    /// The snapshot sequence number, for sources that carry one.
    package var sequence: Int?
    /// When the source says it was generated, for sources that carry it.
    package var generatedAt: Date?

    package init(
        source: String,
        file: String,
        customers: [String: CustomerFacts] = [:],
        unmappedRoles: [String: Int] = [:],
        notes: [SourceNote] = [],
        sequence: Int? = nil,
        generatedAt: Date? = nil
    ) {
        self.source = source
        self.file = file
        self.customers = customers
        self.unmappedRoles = unmappedRoles
        self.notes = notes
        self.sequence = sequence
        self.generatedAt = generatedAt
    }

    /// How many users the source lists, over all customers.
    package var userCount: Int {
        var count = 0
        // By index: iterating the values copied each customer's facts, retaining and releasing each of its arrays.
        for index in customers.indices { count += customers.values[index].users.count }
        return count
    }

    /// What `check-config` shows in each customer's users column: how many users the source lists for it, or `-`
    /// for a customer whose seats the source counts instead.
    ///
    /// Made in one pass, which reads each customer's facts where they lie: looked up per row, each customer's facts
    /// were copied, retaining and releasing every array of its user table, a quarter of printing the tables.
    package var listedUsers: [String: String] {
        customers.mapValues { $0.counts.isEmpty ? String($0.users.count) : "-" }
    }
}
