import Dispatch
import Foundation
import Glibc
import Synchronization

/// A loopback port that accepts connections, records every byte they send, and answers the first bytes of each
/// connection with a fixed reply (then stops writing to it), or never answers.
///
/// Stands in for a peer that is not Commet: a proxy no request may reach (or whose `CONNECT` a test wants to
/// see), or a server that answers a TLS handshake with plain http.
package final class RecordingPort: Sendable {
    private struct State {
        var received: [UInt8] = []
        var connections = 0
        var open: Set<Int32> = []
        var stopped = false
    }

    /// What the accept loop and the connection threads share with the port.
    private final class Shared: Sendable {
        let state = Mutex(State())
        let reply: [UInt8]?
        let acceptLoopEnded = DispatchSemaphore(value: 0)

        init(reply: [UInt8]?) {
            self.reply = reply
        }

        /// Counts a new connection; false once the port is stopped.
        func register(_ descriptor: Int32) -> Bool {
            state.withLock { state in
                guard !state.stopped else { return false }
                state.connections += 1
                state.open.insert(descriptor)
                return true
            }
        }

        /// Records what the connection sends until the peer closes it, answering its first bytes with the reply.
        func serve(_ descriptor: Int32) {
            var chunk = [UInt8](repeating: 0, count: 16 * 1024)
            var answered = false
            while true {
                let count = chunk.withUnsafeMutableBytes { recv(descriptor, $0.baseAddress, $0.count, 0) }
                if count < 0 && errno == EINTR { continue }
                guard count > 0 else { break }
                state.withLock { $0.received += chunk[..<count] }
                if let reply, !answered {
                    answered = true
                    _ = reply.withUnsafeBytes { send(descriptor, $0.baseAddress, $0.count, Int32(MSG_NOSIGNAL)) }
                    // Reading on until the peer closes, rather than closing now, keeps unread bytes from turning
                    // the close into a reset that could discard the reply before the peer reads it.
                    shutdown(descriptor, Int32(SHUT_WR))
                }
            }
            state.withLock { _ = $0.open.remove(descriptor) }
            close(descriptor)
        }
    }

    package let port: UInt16
    private let listener: Int32
    private let shared: Shared

    /// Listens on 127.0.0.1 on a port the kernel chooses.
    /// - Parameter reply: sent once to each connection after its first bytes arrive; nil never answers.
    /// - Throws: ``SocketError`` when the socket cannot be made, bound or listened on.
    package init(reply: String? = nil) throws {
        let listener: Int32
        (listener, port) = try LoopbackSocket.bind(backlog: 16)
        self.listener = listener
        let shared = Shared(reply: reply.map { Array($0.utf8) })
        self.shared = shared
        Thread.detachNewThread {
            defer { shared.acceptLoopEnded.signal() }
            while true {
                let descriptor = accept(listener, nil, nil)
                if descriptor < 0 {
                    if errno == EINTR { continue }
                    return
                }
                guard shared.register(descriptor) else {
                    close(descriptor)
                    return
                }
                Thread.detachNewThread { shared.serve(descriptor) }
            }
        }
    }

    deinit {
        stop()
        close(listener)
    }

    /// Every byte received so far, over all connections, as text.
    package var received: String {
        String(decoding: shared.state.withLock { $0.received }, as: UTF8.self)
    }

    /// The connections accepted so far.
    package var connections: Int {
        shared.state.withLock { $0.connections }
    }

    /// Stops accepting and shuts every open connection down. Idempotent.
    package func stop() {
        // Under the lock, so no connection thread closes a descriptor (whose number could be reused) meanwhile.
        let stopping = shared.state.withLock { state in
            guard !state.stopped else { return false }
            state.stopped = true
            for descriptor in state.open { shutdown(descriptor, Int32(SHUT_RDWR)) }
            return true
        }
        guard stopping else { return }
        shutdown(listener, Int32(SHUT_RDWR))
        shared.acceptLoopEnded.wait()
    }
}
