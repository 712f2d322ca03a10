import Dispatch
import Synchronization

extension Array where Element: Sendable {
    /// `count` elements, element `index` being `make(index)`, made on every core (`concurrentPerform`) and kept in
    /// index order, whichever finished first.
    init(concurrently count: Int, _ make: @Sendable (Int) -> Element) {
        let made = Mutex<[Element?]>([Element?](repeating: nil, count: count))
        DispatchQueue.concurrentPerform(iterations: count) { index in
            let element = make(index)
            made.withLock { $0[index] = element }
        }
        self = made.withLock { $0 }.map { $0! }
    }

    /// `make(item)` for each of `items`, in order, made in runs of items handed to the cores as they come free (up
    /// to 64 runs, so that one run holding most of the work leaves the others to the other cores).
    init<Item: Sendable>(concurrentlyInRunsOf items: [Item], _ make: @Sendable (Item) -> Element) {
        let runs = Swift.min(items.count, 64)
        let made = [[Element]](concurrently: runs) { run in
            items[(items.count * run / runs)..<(items.count * (run + 1) / runs)].map(make)
        }
        self = Array(made.joined())
    }
}
