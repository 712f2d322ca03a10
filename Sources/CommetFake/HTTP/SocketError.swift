import Glibc

/// A socket call the fake server could not make.
public struct SocketError: Error, Hashable, CustomStringConvertible {
    /// The call and its subject, as `bind 127.0.0.1:8080`.
    public var operation: String
    /// The `errno` it failed with.
    public var code: Int32

    init(_ operation: String, code: Int32 = errno) {
        self.operation = operation
        self.code = code
    }

    public var description: String {
        "\(operation): \(String(cString: strerror(code)))"
    }
}
