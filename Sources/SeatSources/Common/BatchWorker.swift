import Dispatch
import Foundation
import Synchronization

/// A batch of a reader's work that ``BatchWorker`` can hand between threads: made empty by `init()`, and emptied by
/// the worker's `apply` so that its storage is reused.
protocol WorkBatch: Sendable {
    init()
}

/// Applies a reader's batches of work to `State` on a thread of its own, in the order they were handed over, while
/// the reader reads on.
///
/// Readers spend much of a large export putting what they read into tables far bigger than the cache (a CSV's user
/// tables, an LDIF's DN table), a cache miss or more per record that nothing else on the reader's thread can hide.
/// On a second core that work overlaps with tokenizing and checking the next records instead of following them.
/// Batches are applied one at a time, in order, so `State` ends exactly as the reader would have built it itself;
/// only when is different.
///
/// The thread is one thread, started with the first batch, rather than a Dispatch queue: a queue's blocks run on
/// whichever pool thread is free, and glibc gives each thread that allocates its own arena. When two pool threads
/// took turns, a table grown on one left its old storage free in the other's arena, where nothing reused it: the
/// benchmark's CSV then peaked at 104 to 138 MiB instead of 97, about one run in a hundred on a busy machine.
///
/// `@unchecked Sendable`: `state` is touched only by the worker's thread, and by ``finish(leaving:)`` after that
/// thread ended; the batch lists are behind their own locks; `isRunning` is the reader's alone.
final class BatchWorker<Batch: WorkBatch, State>: @unchecked Sendable {
    private let slots: DispatchSemaphore
    /// Signalled once for each batch handed over, and once more by ``finish(leaving:)``.
    private let handedOver = DispatchSemaphore(value: 0)
    /// Signalled by the worker's thread as it ends.
    private let ended = DispatchSemaphore(value: 0)
    private var state: State
    private let apply: @Sendable (inout Batch, inout State) -> Void
    /// Full batches handed over and not yet applied, first handed over first.
    private let pending = Mutex<[Batch]>([])
    /// Applied and emptied batches, handed back to the reader so that their storage is reused rather than
    /// allocated again.
    private let spare = Mutex<[Batch]>([])
    private var isRunning = false

    /// - Parameters:
    ///   - state: what the batches are applied to.
    ///   - batchesInFlight: how many full batches may wait for or be in the worker while the reader fills the next
    ///     one: memory stays at one batch more than that whatever the file's length. More than one lets a thread
    ///     that is briefly ahead run on instead of waiting for the other to catch up on every batch.
    ///   - apply: applies one batch to the state and empties the batch; it runs on the worker's thread.
    init(_ state: State, batchesInFlight: Int, apply: @escaping @Sendable (inout Batch, inout State) -> Void) {
        self.state = state
        self.slots = DispatchSemaphore(value: batchesInFlight)
        self.apply = apply
    }

    /// Hands `batch` to the worker, waiting while `batchesInFlight` are already there, and leaves `batch` empty to
    /// fill next. The first batch starts the worker's thread, which runs until ``finish(leaving:)``.
    ///
    /// Batches change hands by `swap` only, inside the locks: a batch is never held twice, so neither thread's
    /// writes copy its arrays.
    func put(_ batch: inout Batch) {
        if !isRunning {
            isRunning = true
            Thread { [self] in run() }.start()
        }
        slots.wait()
        pending.withLock { pending in
            pending.append(Batch())
            swap(&pending[pending.count - 1], &batch)
        }
        spare.withLock { spare in
            guard !spare.isEmpty else { return }
            swap(&spare[spare.count - 1], &batch)
            // What is left there is the batch just swapped in, which holds no storage.
            spare.removeLast()
        }
        handedOver.signal()
    }

    /// Waits until every batch handed over is applied and the worker's thread ended, then hands the state over;
    /// the worker is left with `replacement`. Every worker that was handed a batch must be finished: its thread
    /// waits for this.
    func finish(leaving replacement: State) -> State {
        if isRunning {
            // A signal with no batch pending ends the thread: it comes after the signal of every batch.
            handedOver.signal()
            ended.wait()
            isRunning = false
        }
        spare.withLock { $0.removeAll() }
        var finished = replacement
        swap(&finished, &state)
        return finished
    }

    /// The worker's thread: applies batches as they are handed over, until ``finish(leaving:)`` signals with none
    /// pending.
    private func run() {
        while true {
            handedOver.wait()
            guard var next = pending.withLock({ $0.isEmpty ? nil : $0.removeFirst() }) else { break }
            apply(&next, &state)
            spare.withLock { spare in
                spare.append(Batch())
                swap(&spare[spare.count - 1], &next)
            }
            slots.signal()
        }
        ended.signal()
    }
}
