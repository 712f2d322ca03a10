import CCurl
import Dispatch
import Synchronization

/// Sends HTTP requests with libcurl, off the Swift concurrency pool.
///
/// Each in-flight request gets a ``TransferWorker`` (a handle and the queue it blocks on) from a small pool and
/// returns it afterwards, so sequential requests reuse one handle and with it one kept-alive connection.
final class CurlTransport: Sendable {
    private let settings: TransferSettings
    private let idle = Mutex<[TransferWorker]>([])
    private let maxIdleWorkers: Int

    /// - Throws: `CommetError` of kind `.configuration` when libcurl cannot be opened or initialised.
    init(settings: TransferSettings, maxIdleWorkers: Int = 8) throws(CommetError) {
        if let problem = CurlGlobal.problem {
            throw CommetError(kind: .configuration, message: problem, operation: .configure)
        }
        self.settings = settings
        self.maxIdleWorkers = maxIdleWorkers
    }

    /// Sends `request` and returns the complete response or why there is none. Cancelling the calling task
    /// aborts the transfer.
    func send(_ request: HTTPRequest) async -> Result<HTTPResponse, TransportFailure> {
        let worker = idle.withLock { $0.popLast() } ?? TransferWorker()
        let cancellation = CancellationFlag()
        let result = await withTaskCancellationHandler {
            await worker.run(request, settings: settings, cancellation: cancellation)
        } onCancel: {
            cancellation.cancel()
        }
        idle.withLock { workers in
            if workers.count < maxIdleWorkers {
                workers.append(worker)
            }
        }
        return result
    }
}

/// An easy handle and the serial queue that blocks on it.
final class TransferWorker: Sendable {
    private let queue = DispatchQueue(label: "CommetSeats.TransferWorker")
    private let handle = Mutex<EasyHandle?>(nil)

    func run(
        _ request: HTTPRequest,
        settings: TransferSettings,
        cancellation: CancellationFlag
    ) async -> Result<HTTPResponse, TransportFailure> {
        await withCheckedContinuation { continuation in
            queue.async {
                continuation.resume(returning: self.perform(request, settings: settings, cancellation: cancellation))
            }
        }
    }

    private func perform(
        _ request: HTTPRequest,
        settings: TransferSettings,
        cancellation: CancellationFlag
    ) -> Result<HTTPResponse, TransportFailure> {
        // Only this worker's queue takes the lock, so holding it across the blocking transfer costs nothing.
        handle.withLock { handle in
            if handle == nil {
                handle = EasyHandle()
            }
            guard let handle else {
                return .failure(.connection("curl_easy_init failed", transient: false))
            }
            return handle.perform(request, settings: settings, cancellation: cancellation)
        }
    }
}

/// libcurl, opened and initialised once per process, when the first transport is made: a command that talks to
/// Commet makes its client as it starts, so a missing libcurl still stops it before any work.
enum CurlGlobal {
    /// libcurl's soname, which the `libcurl4` package provides.
    static let library = "libcurl.so.4"

    /// Why libcurl cannot be used; `nil` once it is open and initialised.
    static let problem: String? = {
        if let problem = open(library) { return problem }
        return ccurl_global_init() == CURLE_OK ? nil : "curl_global_init failed"
    }()

    /// Opens the libcurl `name` names; the first one opened is the one used.
    /// - Returns: why it cannot be opened, or `nil`.
    static func open(_ name: String) -> String? {
        var error = [CChar](repeating: 0, count: 512)
        guard ccurl_load(name, &error, error.count) != 0 else { return nil }
        let reason = String(decoding: error.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
        return "libcurl cannot be opened (\(reason)); install the libcurl4 package"
    }
}
