extension Array where Element: Sendable {
    /// Runs `transform` on every element with at most `limit` calls in flight, keeping the input order.
    ///
    /// A task group bounded by hand: the first `limit` tasks start at once, and each one that finishes lets
    /// the next one start, so 10,000 customers never become 10,000 concurrent requests.
    func concurrentMap<Result: Sendable>(
        limit: Int,
        _ transform: @escaping @Sendable (Element) async -> Result
    ) async -> [Result] {
        await withTaskGroup(of: (Int, Result).self) { group in
            var results = [Result?](repeating: nil, count: count)
            var next = 0
            while next < Swift.min(Swift.max(limit, 1), count) {
                let index = next
                group.addTask { (index, await transform(self[index])) }
                next += 1
            }
            while let (index, result) = await group.next() {
                results[index] = result
                if next < count {
                    let index = next
                    group.addTask { (index, await transform(self[index])) }
                    next += 1
                }
            }
            return results.map { $0! }
        }
    }
}
