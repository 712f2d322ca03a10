/// The config's notation for sizes: a whole number with an optional binary unit, `1GiB`, `512MiB`, `64KiB`, `100B`
/// or `4096` (bytes). Only binary units: `1GB` would leave the reader guessing between 10^9 and 2^30.
package enum ByteSizeText {
    private static let units: [(suffix: String, shift: Int)] = [("GiB", 30), ("MiB", 20), ("KiB", 10), ("B", 0)]

    /// The number of bytes `text` names, or `nil` when it is not a size (or overflows).
    package static func parse(_ text: String) -> Int? {
        var digits = Substring(text)
        var shift = 0
        if let unit = units.first(where: { digits.hasSuffix($0.suffix) }) {
            digits = digits.dropLast(unit.suffix.count)
            shift = unit.shift
        }
        guard !digits.isEmpty, digits.allSatisfy(\.isASCII), let value = Int(digits), value >= 0 else { return nil }
        let (bytes, overflow) = value.multipliedReportingOverflow(by: 1 << shift)
        return overflow ? nil : bytes
    }

    /// `bytes` in the largest unit that divides it: `1GiB`, `1536KiB`, `100B`.
    package static func format(_ bytes: Int) -> String {
        for unit in units where bytes != 0 && bytes % (1 << unit.shift) == 0 {
            return "\(bytes >> unit.shift)\(unit.suffix)"
        }
        return "\(bytes)B"
    }
}
