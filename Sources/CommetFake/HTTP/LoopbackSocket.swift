import Glibc

/// The one way the fake's servers and ports get a TCP socket on 127.0.0.1.
enum LoopbackSocket {
    /// Makes a TCP socket bound to 127.0.0.1, listening when `backlog` is given.
    /// - Parameters:
    ///   - port: the port to bind, or 0 for one the kernel chooses. A given port is bound with `SO_REUSEADDR`, so
    ///     that a server started again on its old port does not wait for the old connections' `TIME_WAIT`.
    ///   - backlog: the `listen` backlog; nil binds without listening.
    /// - Returns: the socket, closed on exec, and the port it is bound to.
    /// - Throws: ``SocketError`` naming the call that failed; the socket is closed then.
    static func bind(port: UInt16 = 0, backlog: Int32?) throws(SocketError) -> (descriptor: Int32, port: UInt16) {
        let descriptor = socket(AF_INET, Int32(SOCK_STREAM.rawValue) | Int32(SOCK_CLOEXEC.rawValue), 0)
        guard descriptor >= 0 else { throw SocketError("socket") }
        if port != 0 {
            var reuse: Int32 = 1
            setsockopt(descriptor, SOL_SOCKET, SO_REUSEADDR, &reuse, socklen_t(MemoryLayout<Int32>.size))
        }
        var address = sockaddr_in()
        address.sin_family = sa_family_t(AF_INET)
        address.sin_port = port.bigEndian
        address.sin_addr.s_addr = UInt32(0x7F00_0001).bigEndian
        var length = socklen_t(MemoryLayout<sockaddr_in>.size)
        let failedCall: String? = withUnsafeMutablePointer(to: &address) { pointer in
            pointer.withMemoryRebound(to: sockaddr.self, capacity: 1) { socketAddress in
                if Glibc.bind(descriptor, socketAddress, length) != 0 { return "bind 127.0.0.1:\(port)" }
                if let backlog, listen(descriptor, backlog) != 0 { return "listen on 127.0.0.1:\(port)" }
                if getsockname(descriptor, socketAddress, &length) != 0 { return "getsockname" }
                return nil
            }
        }
        if let failedCall {
            let error = SocketError(failedCall)
            close(descriptor)
            throw error
        }
        return (descriptor, UInt16(bigEndian: address.sin_port))
    }
}
