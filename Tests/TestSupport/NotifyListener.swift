import Dispatch
import Foundation
import Synchronization

#if canImport(Glibc)
import Glibc
#endif

/// A unix datagram socket bound in a fresh folder, standing in for systemd's `NOTIFY_SOCKET`.
///
/// Reads every datagram as it arrives, as systemd does: the kernel queues only a few unread ones per socket.
/// Unchecked `Sendable`: the read source is touched only by `init` and `deinit`.
package final class NotifyListener: @unchecked Sendable {
    package let path: String
    private let folder: TemporaryDirectory
    private let inbox: Inbox
    private let reader: any DispatchSourceRead

    package init() throws {
        folder = try TemporaryDirectory()
        let path = folder.path + "/notify.sock"
        self.path = path
        let fd = socket(AF_UNIX, Int32(SOCK_DGRAM.rawValue) | Int32(SOCK_NONBLOCK.rawValue), 0)
        var address = sockaddr_un()
        address.sun_family = sa_family_t(AF_UNIX)
        withUnsafeMutableBytes(of: &address.sun_path) { $0.copyBytes(from: Array(path.utf8) + [0]) }
        let bound = withUnsafePointer(to: &address) {
            $0.withMemoryRebound(to: sockaddr.self, capacity: 1) {
                bind(fd, $0, socklen_t(MemoryLayout<sockaddr_un>.size))
            }
        }
        guard fd >= 0, bound == 0 else { throw POSIXError(.init(rawValue: errno) ?? .EINVAL) }
        let inbox = Inbox()
        self.inbox = inbox
        reader = DispatchSource.makeReadSource(fileDescriptor: fd, queue: DispatchQueue(label: "notify-listener"))
        reader.setEventHandler { [inbox] in
            var buffer = [UInt8](repeating: 0, count: 4096)
            while true {
                let count = recv(fd, &buffer, buffer.count, 0)
                guard count >= 0 else { break }
                let message = String(decoding: buffer[0..<count], as: UTF8.self)
                inbox.messages.withLock { $0.append(message) }
            }
        }
        reader.setCancelHandler { close(fd) }
        reader.resume()
    }

    deinit { reader.cancel() }

    /// Every datagram received so far, in order.
    package var messages: [String] { inbox.messages.withLock { $0 } }
}

/// The datagrams received, shared with the read source's handler.
private final class Inbox: Sendable {
    let messages = Mutex<[String]>([])
}
