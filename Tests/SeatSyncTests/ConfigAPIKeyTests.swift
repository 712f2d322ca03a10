import CommetSeats
import Foundation
import Logging
import Testing

@testable import SeatSync

#if canImport(Glibc)
import Glibc
import TestSupport
#endif

/// Writes a key file with the given mode into a fresh folder.
private func keyFile(
    _ folder: TemporaryDirectory,
    _ name: String,
    _ text: String,
    mode: mode_t = 0o600
) throws -> String {
    let path = folder.path + "/" + name
    try Data(text.utf8).write(to: URL(fileURLWithPath: path))
    chmod(path, mode)
    return path
}

@Suite struct ConfigAPIKeyTests {
    @Test func credentialsDirectoryComesFirst() throws {
        // Input: a systemd credential, a configured key file and COMMET_API_KEY, all present.
        // Expected: the credential wins, with one trailing newline trimmed.
        let folder = try TemporaryDirectory()
        _ = try keyFile(folder, "commet-api-key", "ck_from_credential\n", mode: 0o400)
        let file = try keyFile(folder, "api-key", "ck_from_file\n")
        let loaded = try APIKeyLoader.load(
            CommetSettings(apiKeyFile: file),
            environment: ["CREDENTIALS_DIRECTORY": folder.path, "COMMET_API_KEY": "ck_from_env"]
        )
        #expect(loaded.secret == "ck_from_credential")
        #expect(loaded.origin == "credential \(folder.path)/commet-api-key")
        #expect(loaded.warnings.isEmpty)
        #expect("\(loaded.key)" == "APIKey(redacted)")
    }

    @Test func configuredFileComesBeforeTheEnvironment() throws {
        // Input: no credential in CREDENTIALS_DIRECTORY, a key file ending in CRLF, and COMMET_API_KEY.
        // Expected: the file's key without the CRLF.
        let folder = try TemporaryDirectory()
        let credentials = try TemporaryDirectory()
        let file = try keyFile(folder, "api-key", "ck_from_file\r\n")
        let loaded = try APIKeyLoader.load(
            CommetSettings(apiKeyFile: file),
            environment: ["CREDENTIALS_DIRECTORY": credentials.path, "COMMET_API_KEY": "ck_from_env"]
        )
        #expect(loaded.secret == "ck_from_file")
        #expect(loaded.origin == "file \(file)")
    }

    @Test(
        "a key the client would refuse is refused by the loader too, so check-config and run agree",
        arguments: [
            ("ck_live inner", "contains a space or a non-ASCII character"),
            ("ck_live_é", "contains a space or a non-ASCII character"),
            (" ck_live", "starts or ends with a space"),
            ("ck\tlive", "contains a line break or another control character"),
        ]
    )
    func loaderAndClientShareTheKeyRule(key: String, problem: String) throws {
        // Input: each key in COMMET_API_KEY. Expected: the loader refuses it naming the problem, and the client's
        // own configuration check refuses the same key with the same words.
        #expect(throws: ConfigError.unusableAPIKey(origin: "environment COMMET_API_KEY", problem: problem)) {
            try APIKeyLoader.load(CommetSettings(), environment: ["COMMET_API_KEY": key])
        }
        let configuration = CommetSettings().clientConfiguration(apiKey: APIKey(key))
        #expect {
            _ = try CommetSeatsClient(configuration: configuration, logger: Logger(label: "test"))
        } throws: { error in
            "\(error)".contains("the API key \(problem)")
        }
    }

    @Test func environmentIsTheLastResort() throws {
        let loaded = try APIKeyLoader.load(CommetSettings(), environment: ["COMMET_API_KEY": "ck_from_env"])
        #expect(loaded.secret == "ck_from_env")
        #expect(loaded.origin == "environment COMMET_API_KEY")
    }

    @Test func onlyOneTrailingNewlineIsTrimmed() throws {
        // Input: a file holding the key and two newlines. Expected: refused, since the rest is not a key.
        let folder = try TemporaryDirectory()
        let file = try keyFile(folder, "api-key", "ck_key\n\n")
        #expect(
            throws: ConfigError.unusableAPIKey(
                origin: "file \(file)",
                problem: "contains a line break or another control character"
            )
        ) { try APIKeyLoader.load(CommetSettings(apiKeyFile: file), environment: [:]) }
    }

    @Test func keyFileReadableByOthersGivesAWarning() throws {
        // Input: a key file with mode 0644. Expected: the key, and a warning naming the file and the mode.
        let folder = try TemporaryDirectory()
        let file = try keyFile(folder, "api-key", "ck_open_key\n", mode: 0o644)
        let loaded = try APIKeyLoader.load(CommetSettings(apiKeyFile: file), environment: [:])
        #expect(
            loaded.warnings == [
                "the Commet API key file \(file) is readable by group or others (mode 644); chmod 600 it"
            ]
        )
        #expect(!loaded.warnings.joined().contains("ck_open_key"))
    }

    @Test(arguments: ["", "\n", "\r\n"])
    func emptyKeyIsAnError(text: String) throws {
        let folder = try TemporaryDirectory()
        let file = try keyFile(folder, "api-key", text)
        #expect(throws: ConfigError.unusableAPIKey(origin: "file \(file)", problem: "is empty")) {
            try APIKeyLoader.load(CommetSettings(apiKeyFile: file), environment: [:])
        }
        #expect(throws: ConfigError.unusableAPIKey(origin: "environment COMMET_API_KEY", problem: "is empty")) {
            try APIKeyLoader.load(CommetSettings(), environment: ["COMMET_API_KEY": text])
        }
    }

    @Test func missingConfiguredFileIsAnErrorNotAFallback() throws {
        // Input: api_key_file naming a file that does not exist, and COMMET_API_KEY set.
        // Expected: an error naming the file; the environment is not used behind the operator's back.
        let folder = try TemporaryDirectory()
        let file = folder.path + "/missing-key"
        #expect(throws: ConfigError.unreadableAPIKey(origin: "file \(file)", reason: "No such file or directory")) {
            try APIKeyLoader.load(CommetSettings(apiKeyFile: file), environment: ["COMMET_API_KEY": "ck_env"])
        }
    }

    @Test func noKeyAnywhereSaysWhereItLooked() {
        let error = #expect(throws: ConfigError.self) { try APIKeyLoader.load(CommetSettings(), environment: [:]) }
        #expect(
            error?.description
                == "no Commet API key found (looked in: $CREDENTIALS_DIRECTORY/commet-api-key "
                + "(CREDENTIALS_DIRECTORY is not set), commet.api_key_file (not set), "
                + "environment COMMET_API_KEY (not set))"
        )
    }

    @Test func errorsNeverCarryTheKey() throws {
        // Input: a key with an embedded newline in the environment. Expected: an error whose text lacks the key.
        let error = #expect(throws: ConfigError.self) {
            try APIKeyLoader.load(CommetSettings(), environment: ["COMMET_API_KEY": "ck_secret_part\nrest"])
        }
        #expect(error?.description.contains("ck_secret_part") == false)
    }

    @Test func aFIFOAsTheKeyFileIsRefusedAtOnceAsNotARegularFile() throws {
        // Input: commet.api_key_file names a FIFO that no process writes to (a plain open() would wait for a writer
        // forever, so without the non-blocking open this test hangs). Expected: the file named, "not a regular file".
        let folder = try TemporaryDirectory()
        let path = folder.path + "/api-key"
        #expect(mkfifo(path, 0o600) == 0)
        #expect(throws: ConfigError.unreadableAPIKey(origin: "file \(path)", reason: "not a regular file")) {
            try APIKeyLoader.load(CommetSettings(apiKeyFile: path), environment: [:])
        }
        let error = ConfigError.unreadableAPIKey(origin: "file \(path)", reason: "not a regular file")
        #expect("\(error)" == "cannot read the Commet API key from file \(path): not a regular file")
    }
}
