import Glibc

/// A loopback port that refuses connections: bound (so no other test's listener takes it) but not listening.
///
/// Points a client at "Commet is down": every connection attempt fails at once with `ECONNREFUSED`.
package final class RefusingPort: Sendable {
    package let port: UInt16
    private let descriptor: Int32

    /// Binds a socket on 127.0.0.1 to a port the kernel chooses, and never listens on it.
    /// - Throws: ``SocketError`` when the socket cannot be created or bound.
    package init() throws {
        (descriptor, port) = try LoopbackSocket.bind(backlog: nil)
    }

    deinit {
        close(descriptor)
    }
}
