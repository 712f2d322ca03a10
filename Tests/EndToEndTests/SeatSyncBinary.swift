import Foundation
import Synchronization
import TestSupport
import Testing

/// The built `seat-sync` executable, run as an operator runs it: a child process with its own environment.
struct SeatSyncBinary {
    /// What one run printed and how it ended.
    struct Run {
        var status: Int32
        var stdout: String
        var stderr: String
    }

    let path: String

    /// Finds the binary next to the test bundle (`.build/<triple>/debug/`), where `swift build` puts it.
    /// - Throws: when it is not there, with the command that builds it.
    static func locate() throws -> SeatSyncBinary {
        var folder = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        // The runner may be inside the .xctest bundle on some platforms; walk up to the build folder.
        for _ in 0..<4 {
            let candidate = folder.appendingPathComponent("seat-sync").path
            if FileManager.default.isExecutableFile(atPath: candidate) { return SeatSyncBinary(path: candidate) }
            folder.deleteLastPathComponent()
        }
        throw MissingBinary(near: CommandLine.arguments[0])
    }

    struct MissingBinary: Error, CustomStringConvertible {
        var near: String
        var description: String {
            "the seat-sync executable is not built next to \(near): run `swift build` before `swift test`"
        }
    }

    /// Runs the binary with `arguments` and exactly `environment` (nothing inherited, so no stray key leaks in).
    /// - Parameters:
    ///   - user: a user id to run as instead of the test's own (through `setpriv`; the tests must run as root
    ///     for it), as a service's user runs it.
    ///   - stderrIsJournal: sets `JOURNAL_STREAM` to the stderr file's `DEV:INODE`, as systemd does when stderr
    ///     is the journal.
    func run(
        _ arguments: [String],
        environment: [String: String] = [:],
        asUser user: UInt32? = nil,
        stderrIsJournal: Bool = false
    ) async throws
        -> Run
    {
        try await launch(arguments, environment: environment, asUser: user, stderrIsJournal: stderrIsJournal).finish()
    }

    /// Starts the binary and returns while it runs, for tests that act on it mid-way (signals); the parameters
    /// are ``run(_:environment:asUser:stderrIsJournal:)``'s.
    func launch(
        _ arguments: [String],
        environment: [String: String] = [:],
        asUser user: UInt32? = nil,
        stderrIsJournal: Bool = false
    ) throws
        -> Running
    {
        let folder = try TemporaryDirectory()
        let stdoutPath = folder.path + "/stdout"
        let stderrPath = folder.path + "/stderr"
        _ = FileManager.default.createFile(atPath: stdoutPath, contents: nil)
        _ = FileManager.default.createFile(atPath: stderrPath, contents: nil)
        let stdout = try FileHandle(forWritingTo: URL(fileURLWithPath: stdoutPath))
        let stderr = try FileHandle(forWritingTo: URL(fileURLWithPath: stderrPath))
        defer {
            try? stdout.close()
            try? stderr.close()
        }

        var environment = environment
        if stderrIsJournal {
            var status = stat()
            guard stat(stderrPath, &status) == 0 else { throw POSIXError(.init(rawValue: errno)!) }
            environment["JOURNAL_STREAM"] = "\(status.st_dev):\(status.st_ino)"
        }

        let process = Process()
        if let user {
            process.executableURL = URL(fileURLWithPath: "/usr/bin/setpriv")
            process.arguments = ["--reuid=\(user)", "--regid=\(user)", "--clear-groups", path] + arguments
        } else {
            process.executableURL = URL(fileURLWithPath: path)
            process.arguments = arguments
        }
        process.environment = environment.merging(["PATH": "/usr/bin:/bin"]) { own, _ in own }
        process.standardInput = FileHandle.nullDevice
        process.standardOutput = stdout
        process.standardError = stderr
        let exit = ExitStatus()
        // A process a signal ended reports 128 + the signal, as a shell does, so a crash is not read as a status.
        process.terminationHandler = {
            exit.record($0.terminationReason == .uncaughtSignal ? 128 + $0.terminationStatus : $0.terminationStatus)
        }
        try process.run()
        return Running(process: process, exit: exit, folder: folder, stdoutPath: stdoutPath, stderrPath: stderrPath)
    }

    /// A started binary: its pid, and what it printed once it ended.
    struct Running {
        fileprivate let process: Process
        fileprivate let exit: ExitStatus
        fileprivate let folder: TemporaryDirectory
        fileprivate let stdoutPath: String
        fileprivate let stderrPath: String

        var pid: Int32 { process.processIdentifier }

        /// Sends `signal` to the process.
        func kill(_ signal: Int32) {
            _ = Foundation.kill(process.processIdentifier, signal)
        }

        /// Whether the process has ended.
        var hasEnded: Bool { exit.hasEnded }

        /// What the process has written to stderr so far, while it may still run.
        var stderrSoFar: String { (try? String(contentsOfFile: stderrPath, encoding: .utf8)) ?? "" }

        /// What the process has written to stdout so far, while it may still run.
        var stdoutSoFar: String { (try? String(contentsOfFile: stdoutPath, encoding: .utf8)) ?? "" }

        /// Waits for the process to end.
        /// - Returns: its exit status (128 + the signal for a process a signal ended) and its output.
        func finish() async throws -> Run {
            let status = await exit.wait()
            return Run(
                status: status,
                stdout: try String(contentsOfFile: stdoutPath, encoding: .utf8),
                stderr: try String(contentsOfFile: stderrPath, encoding: .utf8)
            )
        }
    }
}

/// The exit status of a child process, set once by its termination handler and awaited by the test.
private final class ExitStatus: Sendable {
    private struct State {
        var status: Int32?
        var waiters: [CheckedContinuation<Int32, Never>] = []
    }

    private let state = Mutex(State())

    func record(_ status: Int32) {
        let waiters = state.withLock { state in
            state.status = status
            defer { state.waiters = [] }
            return state.waiters
        }
        for waiter in waiters { waiter.resume(returning: status) }
    }

    var hasEnded: Bool { state.withLock { $0.status != nil } }

    func wait() async -> Int32 {
        await withCheckedContinuation { continuation in
            let status = state.withLock { state in
                if state.status == nil { state.waiters.append(continuation) }
                return state.status
            }
            if let status { continuation.resume(returning: status) }
        }
    }
}

/// The repository's root, for the demo config.
let repositoryRoot = URL(fileURLWithPath: #filePath)
    .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent().path
