import Synchronization

/// Set from any thread when the task waiting for a transfer is cancelled; read by curl's progress callback,
/// which then aborts the transfer.
final class CancellationFlag: Sendable {
    private let state = Atomic<Bool>(false)

    func cancel() {
        state.store(true, ordering: .relaxed)
    }

    var isCancelled: Bool { state.load(ordering: .relaxed) }
}
