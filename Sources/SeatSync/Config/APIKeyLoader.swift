package import CommetSeats
import SeatSources

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The API key and where it came from; the key itself prints as `APIKey(redacted)`.
package struct LoadedAPIKey: Sendable {
    package var key: APIKey
    /// Where the key was read, for logs: `credential $CREDENTIALS_DIRECTORY/commet-api-key`, `file /etc/...`,
    /// `environment COMMET_API_KEY`.
    package var origin: String
    /// Problems that do not stop seat-sync, such as a key file other users can read.
    package var warnings: [String]
    /// The key's text, for redacting it from log lines; never print it.
    package var secret: String

    package init(key: APIKey, origin: String, warnings: [String], secret: String) {
        self.key = key
        self.origin = origin
        self.warnings = warnings
        self.secret = secret
    }
}

/// Finds the Commet API key. Never from the command line: argv is visible to every user of the machine.
///
/// Order: `$CREDENTIALS_DIRECTORY/commet-api-key` (systemd `LoadCredential=`), then `commet.api_key_file`
/// (or `COMMET_API_KEY_FILE`), then `COMMET_API_KEY`. A configured key file that cannot be read is an error,
/// not a reason to fall back to the environment: the operator said where the key is.
package enum APIKeyLoader {
    package static let credentialName = "commet-api-key"

    /// - Parameters:
    ///   - settings: the `commet` section, with `api_key_file` already overridden by the environment.
    ///   - environment: the process environment.
    /// - Returns: the key, its origin, and any warnings.
    /// - Throws: ``ConfigError`` when no key is found, a key file cannot be read, or the key is unusable.
    package static func load(
        _ settings: CommetSettings,
        environment: [String: String]
    ) throws(ConfigError) -> LoadedAPIKey {
        var looked: [String] = []
        if let directory = environment["CREDENTIALS_DIRECTORY"], !directory.isEmpty {
            let path =
                directory.hasSuffix("/") ? directory + credentialName : directory + "/" + credentialName
            looked.append("credential \(path)")
            if access(path, F_OK) == 0 { return try fromFile(path, origin: "credential \(path)") }
        } else {
            looked.append("$CREDENTIALS_DIRECTORY/\(credentialName) (CREDENTIALS_DIRECTORY is not set)")
        }
        if let file = settings.apiKeyFile {
            return try fromFile(file, origin: "file \(file)")
        }
        looked.append("commet.api_key_file (not set)")
        if let text = environment["COMMET_API_KEY"] {
            return try loaded(text, origin: "environment COMMET_API_KEY", warnings: [])
        }
        looked.append("environment COMMET_API_KEY (not set)")
        throw .missingAPIKey(looked: looked)
    }

    private static func fromFile(_ path: String, origin: String) throws(ConfigError) -> LoadedAPIKey {
        let file = try open(path, origin: origin)
        var bytes: [UInt8] = []
        var buffer = [UInt8](repeating: 0, count: 4096)
        while true {
            let count = buffer.withUnsafeMutableBytes { read(file.descriptor, $0.baseAddress, $0.count) }
            if count < 0 {
                if errno == EINTR { continue }
                throw .unreadableAPIKey(origin: origin, reason: RegularFile.errnoText())
            }
            if count == 0 { break }
            bytes += buffer[0..<count]
            // A key is tens of bytes; a large file is the wrong file, and must not end up in a header.
            guard bytes.count <= 16_384 else {
                throw .unusableAPIKey(origin: origin, problem: "is larger than 16 KiB")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else {
            throw .unusableAPIKey(origin: origin, problem: "is not UTF-8 text")
        }
        var warnings: [String] = []
        let mode = file.permissions & 0o777
        if mode & 0o044 != 0 {
            warnings.append(
                "the Commet API key file \(path) is readable by group or others (mode \(String(mode, radix: 8))); "
                    + "chmod 600 it"
            )
        }
        return try loaded(text, origin: origin, warnings: warnings)
    }

    private static func open(_ path: String, origin: String) throws(ConfigError) -> RegularFile {
        do {
            return try RegularFile(openingForReading: path)
        } catch {
            switch error {
            case .cannotOpen(_, let reason), .readFailed(_, let reason):
                throw .unreadableAPIKey(origin: origin, reason: reason)
            case .notARegularFile:
                throw .unreadableAPIKey(origin: origin, reason: "not a regular file")
            default:
                throw .unreadableAPIKey(origin: origin, reason: "\(error)")
            }
        }
    }

    private static func loaded(
        _ text: String,
        origin: String,
        warnings: [String]
    ) throws(ConfigError)
        -> LoadedAPIKey
    {
        // Exactly one trailing newline (LF or CRLF), as `echo key > file` writes; anything else is part of what was
        // given. Scalars, not Characters: "\r\n" is a single Character in Swift.
        var scalars = Substring(text).unicodeScalars
        if scalars.last == "\n" {
            scalars.removeLast()
            if scalars.last == "\r" { scalars.removeLast() }
        }
        let secret = Substring(scalars)
        if let problem = APIKey.problem(with: secret) { throw .unusableAPIKey(origin: origin, problem: problem) }
        return LoadedAPIKey(
            key: APIKey(String(secret)),
            origin: origin,
            warnings: warnings,
            secret: String(secret)
        )
    }
}
