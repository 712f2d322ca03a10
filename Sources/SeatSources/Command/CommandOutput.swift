import Foundation
import TextRules

#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Runs a ``SourceCommand`` and streams its standard output to a reader, chunk by chunk, as ``SourceFile`` streams
/// a file: the output is never held whole, and it counts only when the command exits 0 within its timeout.
///
/// The command is the leader of its own process group, so a timeout, an output over `max_output`, a reader error
/// or a cancelled pass kills it together with every child it started; nothing a pass started outlives it.
package struct CommandOutput {
    let command: SourceCommand

    static let chunkSize = 1 << 20
    /// How much of standard error is kept for the error line: its last lines, within these bounds.
    static let stderrBytes = 4096
    static let stderrLines = 20
    /// How long a timed-out command has between SIGTERM and SIGKILL.
    static let terminationGrace: Duration = .seconds(2)

    package init(command: SourceCommand) {
        self.command = command
    }

    private enum Outcome {
        case finished
        case timedOut
        case tooLarge
        case failed(any Error)
    }

    /// How long one wait for output lasts at most, in milliseconds, between looks at the pass's cancellation.
    private static let cancellationCheck: Int64 = 200

    /// Runs the command once and hands each chunk of its standard output to `consume`.
    /// - Returns: the number of bytes it printed.
    /// - Throws: ``CommandError`` when it cannot start, exits non-zero, is killed, outlives its timeout or prints
    ///   more than `max_output`; whatever `consume` throws (the command is killed first).
    @discardableResult
    package func stream(_ consume: (UnsafeRawBufferPointer) throws -> Void) throws -> Int {
        let environment = CommandEnvironment.make(
            adding: command.environment,
            inherited: ProcessInfo.processInfo.environment
        )
        let executable = try resolve(in: environment["PATH"] ?? CommandEnvironment.path)
        let cancellation = CommandCancellation.current
        let (pid, output, errors) = try spawn(executable, environment: environment)
        defer {
            close(output)
            close(errors)
        }
        let clock = ContinuousClock()
        let deadline = clock.now + command.timeout
        var total = 0
        var tail: [UInt8] = []
        var outcome: Outcome =
            if let cancellation, !cancellation.register(pid) {
                .failed(CommandError.cancelled(command: command.program))
            } else {
                pump(
                    output: output,
                    errors: errors,
                    until: deadline,
                    cancellation: cancellation,
                    total: &total,
                    tail: &tail,
                    consume
                )
            }
        if case .finished = outcome, !waitForExit(pid, until: deadline) { outcome = .timedOut }

        if case .timedOut = outcome {
            kill(-pid, SIGTERM)
            _ = waitForExit(pid, until: clock.now + Self.terminationGrace)
        }
        // Also on success: a child left behind in the group must not outlive the pass. The leader is not reaped
        // yet, so the group's id cannot have been reused.
        kill(-pid, SIGKILL)
        let cancelled = cancellation?.unregister(pid) ?? false
        let status = reap(pid)
        if cancelled { throw CommandError.cancelled(command: command.program) }

        let stderr = lastLines(of: tail)
        switch outcome {
        case .failed(let error): throw error
        case .tooLarge:
            throw CommandError.outputTooLarge(command: command.program, limit: command.maxOutput, stderr: stderr)
        case .timedOut:
            throw CommandError.timedOut(command: command.program, timeout: command.timeout, stderr: stderr)
        case .finished:
            let signal = status & 0x7f
            if signal != 0 {
                throw CommandError.killedBySignal(command: command.program, signal: signal, stderr: stderr)
            }
            let code = (status >> 8) & 0xff
            if code != 0 { throw CommandError.exited(command: command.program, status: code, stderr: stderr) }
            return total
        }
    }

    /// Reads both pipes until both are closed, the deadline passes, the pass is cancelled, the output outgrows
    /// `max_output`, or `consume` throws.
    private func pump(
        output: Int32,
        errors: Int32,
        until deadline: ContinuousClock.Instant,
        cancellation: CommandCancellation?,
        total: inout Int,
        tail: inout [UInt8],
        _ consume: (UnsafeRawBufferPointer) throws -> Void
    ) -> Outcome {
        let buffer = UnsafeMutableRawBufferPointer.allocate(byteCount: Self.chunkSize, alignment: 16)
        defer { buffer.deallocate() }
        var outputOpen = true
        var errorsOpen = true
        while outputOpen || errorsOpen {
            let remaining = deadline - ContinuousClock.now
            guard remaining > .zero else { return .timedOut }
            if cancellation?.isCancelled == true { return .failed(CommandError.cancelled(command: command.program)) }
            var fds = [
                pollfd(fd: outputOpen ? output : -1, events: Int16(POLLIN), revents: 0),
                pollfd(fd: errorsOpen ? errors : -1, events: Int16(POLLIN), revents: 0),
            ]
            // At most a fifth of a second per wait, so a cancelled pass stops reading at once, even when a child
            // that left the process group still holds the pipe open.
            let milliseconds = min(remaining.wholeMilliseconds + 1, Self.cancellationCheck)
            let ready = poll(&fds, 2, Int32(clamping: milliseconds))
            if ready < 0 {
                if errno == EINTR { continue }
                return .failed(CommandError.readFailed(command: command.program, reason: RegularFile.errnoText()))
            }
            if fds[0].revents != 0 {
                let count = read(output, buffer.baseAddress, buffer.count)
                if count < 0 && errno != EINTR && errno != EAGAIN {
                    return .failed(CommandError.readFailed(command: command.program, reason: RegularFile.errnoText()))
                }
                if count == 0 { outputOpen = false }
                if count > 0 {
                    total += count
                    guard total <= command.maxOutput else { return .tooLarge }
                    do {
                        try consume(UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    } catch {
                        return .failed(error)
                    }
                }
            }
            if fds[1].revents != 0 {
                let count = read(errors, buffer.baseAddress, Self.stderrBytes)
                if count == 0 { errorsOpen = false }
                if count > 0 {
                    tail.append(contentsOf: UnsafeRawBufferPointer(rebasing: buffer[0..<count]))
                    if tail.count > 2 * Self.stderrBytes { tail.removeFirst(tail.count - Self.stderrBytes) }
                }
            }
        }
        return .finished
    }

    /// Whether the leader has exited by `deadline`, leaving it unreaped (`WNOWAIT`) so its group id stays its own.
    private func waitForExit(_ pid: pid_t, until deadline: ContinuousClock.Instant) -> Bool {
        while true {
            var info = siginfo_t()
            if waitid(P_PID, id_t(pid), &info, WEXITED | WNOHANG | WNOWAIT) == 0, info.si_signo == SIGCHLD {
                return true
            }
            // The leader has closed its pipes and is exiting, or is being given its grace after SIGTERM: a short
            // pause between checks costs nothing against the timeout.
            guard ContinuousClock.now < deadline else { return false }
            usleep(10_000)
        }
    }

    private func reap(_ pid: pid_t) -> Int32 {
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 && errno == EINTR {}
        return status
    }

    /// The executable `argv[0]` names: a path (relative to the command's folder), or a bare name searched in `path`.
    private func resolve(in path: String) throws -> String {
        let program = command.program
        let candidates: [String]
        if program.contains("/") {
            candidates = [absolute(program)]
        } else {
            candidates = path.split(separator: ":").map { absolute("\($0)/\(program)") }
        }
        guard let found = candidates.first(where: { access($0, X_OK) == 0 }) else {
            throw CommandError.notFound(command: program, searched: candidates.joined(separator: ", "))
        }
        return found
    }

    private func absolute(_ path: String) -> String {
        path.hasPrefix("/") ? path : "\(command.directory)/\(path)"
    }

    /// Starts the command in its own process group, in its folder, with standard input from `/dev/null`.
    /// - Returns: its pid and the read ends of its standard output and standard error.
    private func spawn(
        _ executable: String,
        environment: [String: String]
    ) throws -> (pid: pid_t, output: Int32, errors: Int32) {
        let output = try pipeEnds()
        let errors: [Int32]
        do {
            errors = try pipeEnds()
        } catch {
            close(output[0])
            close(output[1])
            throw error
        }
        defer {
            close(output[1])
            close(errors[1])
        }

        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_adddup2(&actions, output[1], 1)
        posix_spawn_file_actions_adddup2(&actions, errors[1], 2)
        guard let changeDirectory = Self.addChangeDirectory,
            changeDirectory(&actions, command.directory) == 0
        else {
            close(output[0])
            close(errors[0])
            throw startFailure("posix_spawn_file_actions_addchdir_np is not available (glibc 2.29 or later)")
        }
        // Only the three standard descriptors reach the command: one seat-sync inherited without close-on-exec
        // (from systemd, or whoever started it) would otherwise be held open by any child that outlives the
        // command, and whoever waits on it would wait too.
        guard let closeFrom = Self.addCloseFrom, closeFrom(&actions, 3) == 0 else {
            close(output[0])
            close(errors[0])
            throw startFailure("posix_spawn_file_actions_addclosefrom_np is not available (glibc 2.34 or later)")
        }

        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        // The daemon ignores or blocks the signals it handles itself, and exec keeps both: the command must get
        // SIGTERM's default action, or a timeout could not end it gracefully.
        posix_spawnattr_setflags(
            &attributes,
            Int16(POSIX_SPAWN_SETPGROUP | POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF)
        )
        posix_spawnattr_setpgroup(&attributes, 0)
        var noSignals = sigset_t()
        sigemptyset(&noSignals)
        posix_spawnattr_setsigmask(&attributes, &noSignals)
        var defaults = sigset_t()
        sigemptyset(&defaults)
        for signal in [SIGTERM, SIGINT, SIGHUP, SIGQUIT, SIGPIPE, SIGUSR1, SIGUSR2, SIGALRM, SIGCHLD] {
            sigaddset(&defaults, signal)
        }
        posix_spawnattr_setsigdefault(&attributes, &defaults)

        let arguments = command.arguments.map { strdup($0) } + [nil]
        let variables = environment.sorted { $0.key < $1.key }.map { strdup("\($0.key)=\($0.value)") } + [nil]
        defer {
            for pointer in arguments { free(pointer) }
            for pointer in variables { free(pointer) }
        }
        var pid: pid_t = 0
        let result = posix_spawn(&pid, executable, &actions, &attributes, arguments, variables)
        guard result == 0 else {
            close(output[0])
            close(errors[0])
            throw startFailure(String(cString: strerror(result)))
        }
        return (pid, output[0], errors[0])
    }

    /// A pipe whose ends are closed on exec: the command gets them only as its standard output or error, so
    /// no other command keeps one open (which would hold its reader waiting for an end of file).
    private func pipeEnds() throws(CommandError) -> [Int32] {
        var ends: [Int32] = [-1, -1]
        guard pipe(&ends) == 0 else { throw startFailure(RegularFile.errnoText()) }
        for end in ends { _ = fcntl(end, F_SETFD, FD_CLOEXEC) }
        return ends
    }

    private func startFailure(_ reason: String) -> CommandError {
        .cannotStart(command: command.program, reason: reason)
    }

    /// `posix_spawn_file_actions_addchdir_np`, which glibc declares only for `_GNU_SOURCE` and Swift does not see.
    private static let addChangeDirectory:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)? = {
            guard let symbol = dlsym(nil, "posix_spawn_file_actions_addchdir_np") else { return nil }
            return unsafeBitCast(
                symbol,
                to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, UnsafePointer<CChar>) -> Int32)
                    .self
            )
        }()

    /// `posix_spawn_file_actions_addclosefrom_np`, declared only for `_GNU_SOURCE` like the one above.
    private static let addCloseFrom:
        (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32)? =
            {
                guard let symbol = dlsym(nil, "posix_spawn_file_actions_addclosefrom_np") else { return nil }
                return unsafeBitCast(
                    symbol,
                    to: (@convention(c) (UnsafeMutablePointer<posix_spawn_file_actions_t>, Int32) -> Int32).self
                )
            }()

    /// The last lines of standard error, bounded, with `env:` values cut out (a bind password is passed there)
    /// and each line quoted.
    private func lastLines(of tail: [UInt8]) -> [String] {
        let text = Redactor(command.environment.values).redacting(
            String(decoding: tail.suffix(Self.stderrBytes), as: UTF8.self)
        )
        let lines = text.split(whereSeparator: \.isNewline).filter { !$0.allSatisfy(\.isWhitespace) }
        return lines.suffix(Self.stderrLines).map { InputExcerpt.quote(String($0)) }
    }
}
