/// Derives the `Idempotency-Key` of a customer's `setAll`.
///
/// One key per logical write: the pass id, the customer, the balances observed and the desired map. Retries
/// of the write inside the pass reuse it; the next pass makes a new one, so a later correction back to an
/// earlier value is not answered with Commet's replay of the old write (Commet keeps keys for 24 hours).
///
/// The hash is 128-bit FNV-1a (offset basis 0x6c62272e07bb014262b821756295c58d, prime 2^88 + 0x13b) over a
/// length-prefixed encoding of the inputs. It need not resist attackers: the random pass id already makes
/// keys unique, the hash only keeps them short and free of customer data. swift-crypto would cost minutes of
/// build time for no gain here.
enum IdempotencyKey {
    /// The key for one customer's write in one pass.
    /// - Parameters:
    ///   - pass: the pass id, fresh and random for every pass.
    ///   - customer: the customer id sent to Commet.
    ///   - observed: the balances read before planning.
    ///   - desired: the `setAll` payload.
    /// - Returns: `seat-sync-` followed by 32 lower-case hex digits.
    static func derive(pass: String, customer: String, observed: [String: Int], desired: [String: Int]) -> String {
        var hash = FNV1a128()
        hash.field(pass)
        hash.field(customer)
        for map in [observed, desired] {
            hash.field(String(map.count))
            for (feature, count) in map.sorted(by: { $0.key < $1.key }) {
                hash.field(feature)
                hash.field(String(count))
            }
        }
        return "seat-sync-" + hash.hex
    }
}

/// 128-bit FNV-1a (http://www.isthe.com/chongo/tech/comp/fnv/).
struct FNV1a128 {
    private static let prime: UInt128 = (1 << 88) + 0x13b
    private(set) var value: UInt128 = 0x6c62_272e_07bb_0142_62b8_2175_6295_c58d

    mutating func add<Bytes: Sequence<UInt8>>(_ bytes: Bytes) {
        for byte in bytes {
            value ^= UInt128(byte)
            value &*= Self.prime
        }
    }

    /// Adds a string with its length in front, so that ("ab", "c") and ("a", "bc") hash apart.
    mutating func field(_ text: String) {
        add("\(text.utf8.count):".utf8)
        add(text.utf8)
    }

    var hex: String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: 32 - digits.count) + digits
    }
}
