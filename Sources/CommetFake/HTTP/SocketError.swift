import Glibc

/// A socket call the fake server could not make.
package struct SocketError: Error, Hashable, CustomStringConvertible {
    /// The call and its subject, as `bind 127.0.0.1:8080`.
    package var operation: String
    /// The `errno` it failed with.
    package var code: Int32

    init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    package var description: String {
        "\(operation): \(String(cString: strerror(code)))"
    }
}
