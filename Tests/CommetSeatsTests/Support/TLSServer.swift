import Foundation

/// A real HTTPS server on 127.0.0.1 (Python's `http.server` behind `ssl`), with a fresh self-signed
/// certificate made by the `openssl` tool for the name `localhost` only.
///
/// Every GET answers with the same seat balance collection.
final class TLSServer {
    let port: Int
    /// The server's certificate, to trust as a CA bundle.
    let certificatePath: String
    private let process: Process
    private let input = Pipe()
    private let directory: URL

    init() throws {
        directory = FileManager.default.temporaryDirectory.appending(path: "commet-tls-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        certificatePath = directory.appending(path: "cert.pem").path
        let keyPath = directory.appending(path: "key.pem").path
        try Self.run(
            "/usr/bin/env",
            [
                "openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1", "-subj", "/CN=localhost",
                "-addext", "subjectAltName=DNS:localhost", "-keyout", keyPath, "-out", certificatePath,
            ]
        )
        let output = Pipe()
        process = Process()
        process.executableURL = URL(filePath: "/usr/bin/env")
        process.arguments = ["python3", "-c", Self.script, certificatePath, keyPath]
        process.standardInput = input
        process.standardOutput = output
        process.standardError = FileHandle.nullDevice
        try process.run()
        // The script prints its port once it listens, so reading the first line waits exactly that long.
        var line = Data()
        while !line.contains(UInt8(ascii: "\n")) {
            let chunk = output.fileHandleForReading.availableData
            guard !chunk.isEmpty else { throw TLSServerError.exitedEarly }
            line += chunk
        }
        guard let port = Int(String(decoding: line, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines))
        else { throw TLSServerError.exitedEarly }
        self.port = port
    }

    deinit {
        // The script exits when its standard input closes: here, or when the test process dies.
        try? input.fileHandleForWriting.close()
        process.waitUntilExit()
        try? FileManager.default.removeItem(at: directory)
    }

    private static func run(_ executable: String, _ arguments: [String]) throws {
        let process = Process()
        process.executableURL = URL(filePath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else { throw TLSServerError.toolFailed(arguments.first ?? executable) }
    }

    private static let script = """
        import http.server, ssl, sys, threading

        class Handler(http.server.BaseHTTPRequestHandler):
            protocol_version = "HTTP/1.1"

            def do_GET(self):
                body = b'{"object":"seat_balance_collection","balances":{"editor":{"current":3}},"livemode":false}'
                self.send_response(200)
                self.send_header("Content-Type", "application/json")
                self.send_header("Content-Length", str(len(body)))
                self.send_header("x-request-id", "req_tls")
                self.end_headers()
                self.wfile.write(body)

            def log_message(self, *args):
                pass

        server = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        context = ssl.SSLContext(ssl.PROTOCOL_TLS_SERVER)
        context.load_cert_chain(sys.argv[1], sys.argv[2])
        server.socket = context.wrap_socket(server.socket, server_side=True)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        print(server.server_address[1], flush=True)
        sys.stdin.read()
        """
}

enum TLSServerError: Error {
    case toolFailed(String)
    case exitedEarly
}
