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
}
