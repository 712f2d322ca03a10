import ArgumentParser

/// Reads `--latency` values: a whole number with `ms` or `s`.
enum LatencyOption {
    static func parse(_ text: String) throws -> Duration {
        if let milliseconds = text.wholeNumber(before: "ms") {
            return .milliseconds(milliseconds)
        }
        if let seconds = text.wholeNumber(before: "s") {
            return .seconds(seconds)
        }
        throw ValidationError("'\(text)' is not a latency: write a whole number of ms or s, as 20ms or 1s")
    }
}

extension String {
    fileprivate func wholeNumber(before unit: String) -> Int? {
        guard hasSuffix(unit) else { return nil }
        return Int(dropLast(unit.count)).flatMap { $0 >= 0 ? $0 : nil }
    }
}
