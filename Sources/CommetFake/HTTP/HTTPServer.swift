import Dispatch
import Foundation
import Glibc
import Synchronization

/// A small HTTP/1.1 server on 127.0.0.1: one accept thread, one thread per connection,
/// keep-alive, `Content-Length` bodies.
///
/// Hand-written on POSIX sockets so that it can count the TCP connections it accepts and
/// drop one at a chosen moment, which the fake's faults need.
final class HTTPServer: Sendable {
    /// What to do with one request.
    enum Outcome: Sendable {
        case respond(HTTPResponse)
        /// Close the connection without answering.
        case drop
    }

    typealias Handler = @Sendable (_ request: HTTPRequest, _ connection: Int) -> Outcome

    private struct Connections {
        var accepted = 0
        var open: Set<Int32> = []
        var stopped = false
    }

    /// The port the server listens on (the one the kernel chose when asked for port 0).
    let port: UInt16
    private let listener: Int32
    private let handler: Handler
    private let connections = Mutex(Connections())
    private let acceptLoopEnded = DispatchSemaphore(value: 0)

    /// Starts listening and accepting.
    /// - Throws: ``SocketError`` when the socket cannot be made, bound or listened on.
    init(port: UInt16, handler: @escaping Handler) throws(SocketError) {
        let listener: Int32
        (listener, self.port) = try LoopbackSocket.bind(port: port, backlog: 128)
        self.listener = listener
        self.handler = handler
        Thread { [self] in acceptLoop() }.start()
    }

    /// The number of TCP connections accepted so far.
    var connectionsAccepted: Int {
        connections.withLock { $0.accepted }
    }

    /// Stops accepting and shuts every open connection; returns once the listening socket
    /// is closed. Idempotent.
    func stop() {
        let first = connections.withLock { state in
            guard !state.stopped else { return false }
            state.stopped = true
            for descriptor in state.open {
                shutdown(descriptor, Int32(SHUT_RDWR))
            }
            return true
        }
        guard first else { return }
        // Wakes the accept thread blocked in accept(2), which then closes the socket.
        shutdown(listener, Int32(SHUT_RDWR))
        acceptLoopEnded.wait()
    }

    private func acceptLoop() {
        while true {
            let descriptor = accept(listener, nil, nil)
            if descriptor < 0 {
                if errno == EINTR || errno == ECONNABORTED { continue }
                break
            }
            let index = connections.withLock { state -> Int? in
                guard !state.stopped else { return nil }
                state.accepted += 1
                state.open.insert(descriptor)
                return state.accepted
            }
            guard let index else {
                close(descriptor)
                break
            }
            // Keeps the connection out of processes a test spawns while it is open.
            _ = fcntl(descriptor, F_SETFD, FD_CLOEXEC)
            var noDelay: Int32 = 1
            setsockopt(descriptor, Int32(IPPROTO_TCP), TCP_NODELAY, &noDelay, socklen_t(MemoryLayout<Int32>.size))
            Thread { [self] in serve(Connection(descriptor: descriptor), index: index) }.start()
        }
        close(listener)
        acceptLoopEnded.signal()
    }

    private func serve(_ connection: Connection, index: Int) {
        var connection = connection
        serving: while true {
            switch connection.nextRequest() {
            case .closed:
                break serving
            case .unreadable(let error):
                let answer = HTTPResponse(error: error, requestID: RandomID.make(prefix: "req_"))
                connection.send(answer.serialized(closing: true))
                break serving
            case .request(let request):
                switch handler(request, index) {
                case .drop:
                    break serving
                case .respond(let answer):
                    connection.send(answer.serialized(closing: request.wantsClose))
                    if request.wantsClose { break serving }
                }
            }
        }
        connections.withLock { state in
            state.open.remove(connection.descriptor)
            close(connection.descriptor)
        }
    }
}
