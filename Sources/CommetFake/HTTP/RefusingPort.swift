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
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket") }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_addr.s_addr = inet_addr("127.0.0.1")
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let bound = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                bind(descriptor, socketAddress, length) == 0 && getsockname(descriptor, socketAddress, &length) == 0
            }
        }
        guard bound else {
            let error = SocketError("bind 127.0.0.1:0")
            close(descriptor)
            throw error
        }
        self.descriptor = descriptor
        port = UInt16(bigEndian: address.sin_port)
    }

    deinit {
        close(descriptor)
    }
}
