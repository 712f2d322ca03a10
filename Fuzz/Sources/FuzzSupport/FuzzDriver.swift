#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// libFuzzer's entry point for programs that have their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func runDriver(
    _ argc: UnsafeMutablePointer<CInt>,
    _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
    _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
) -> CInt

/// Starts libFuzzer from a Swift `main`.
///
/// SwiftPM links every executable with `main` renamed to the module's own entry point, so libFuzzer's `main` can
/// never be the program's; the harness's `@main` hands the command line to libFuzzer's driver instead.
package enum FuzzDriver {
    /// Runs libFuzzer with the process's arguments and exits with its status.
    /// - Parameter testOneInput: the harness's `LLVMFuzzerTestOneInput`.
    package static func run(_ testOneInput: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> Never {
        #if os(Linux)
        // The Swift runtime's backtracer claims the crash signals before `main`, and libFuzzer leaves a claimed
        // signal alone: a trap would then end the run without a crash file. The backtracer reads its setting only
        // at start-up, so the process starts itself again with it off.
        if getenv("SWIFT_BACKTRACE").map({ String(cString: $0) }) != "enable=no" {
            setenv("SWIFT_BACKTRACE", "enable=no", 1)
            execv("/proc/self/exe", CommandLine.unsafeArgv)
            fatalError("cannot restart with the backtracer off: \(String(cString: strerror(errno)))")
        }
        #endif
        var argc = CommandLine.argc
        var argv = CommandLine.unsafeArgv
        exit(runDriver(&argc, &argv, testOneInput))
    }
}
