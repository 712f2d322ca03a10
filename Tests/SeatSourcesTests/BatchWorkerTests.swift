import Dispatch
import Glibc
import Testing

@testable import SeatSources

/// A batch of numbers; applying it appends them to the state.
private struct Numbers: WorkBatch {
    var values: [Int] = []
}

/// What the worker built: the numbers in the order applied, and the threads that applied them.
private struct Applied {
    var values: [Int] = []
    var threads: Set<UInt> = []
}

@Suite struct BatchWorkerTests {
    @Test func appliesEveryBatchInOrderOnOneThread() {
        // Input: 200 batches of 3 numbers, each handed over once the one before was applied, so that the worker is
        // idle between batches, as it is whenever the reader is the slower thread.
        // Expected: all 600 numbers in order, every batch applied by the same thread, and not the reader's: threads
        // taking turns put a table's old and new storage in different malloc arenas.
        let appliedOne = DispatchSemaphore(value: 0)
        let worker = BatchWorker<Numbers, Applied>(Applied(), batchesInFlight: 2) { batch, applied in
            applied.values += batch.values
            applied.threads.insert(UInt(pthread_self()))
            batch.values.removeAll(keepingCapacity: true)
            appliedOne.signal()
        }
        var batch = Numbers()
        for first in stride(from: 0, to: 600, by: 3) {
            batch.values = [first, first + 1, first + 2]
            worker.put(&batch)
            appliedOne.wait()
        }
        let applied = worker.finish(leaving: Applied())
        #expect(applied.values == Array(0..<600))
        #expect(applied.threads.count == 1)
        #expect(!applied.threads.contains(UInt(pthread_self())))
    }

    @Test func aWorkerHandedNothingFinishesWithItsState() {
        // Input: a worker finished without a batch. Expected: the state it was made with, and no thread waiting.
        let worker = BatchWorker<Numbers, Applied>(Applied(values: [7]), batchesInFlight: 2) { batch, applied in
            applied.values += batch.values
        }
        #expect(worker.finish(leaving: Applied()).values == [7])
    }
}
