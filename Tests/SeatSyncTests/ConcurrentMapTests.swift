import Synchronization
import Testing

@testable import SeatSync

struct ConcurrentMapTests {
    /// Counts calls in flight and remembers the highest count seen.
    final class Gauge: Sendable {
        private let state = Mutex((now: 0, peak: 0))
        func enter() {
            state.withLock {
                $0.now += 1
                $0.peak = max($0.peak, $0.now)
            }
        }
        func leave() { state.withLock { $0.now -= 1 } }
        var peak: Int { state.withLock { $0.peak } }
    }

    @Test(
        "100 items under limit N: results in input order, never more than N in flight",
        arguments: [1, 4, 16]
    )
    func boundsAndOrders(limit: Int) async {
        let gauge = Gauge()
        let results = await Array(0..<100).concurrentMap(limit: limit) { value in
            gauge.enter()
            await Task.yield()
            gauge.leave()
            return value * 2
        }
        #expect(results == (0..<100).map { $0 * 2 })
        #expect(gauge.peak <= limit)
        #expect(gauge.peak >= 1)
    }

    @Test("an empty input returns at once")
    func empty() async {
        let results = await [Int]().concurrentMap(limit: 4) { $0 }
        #expect(results.isEmpty)
    }
}
