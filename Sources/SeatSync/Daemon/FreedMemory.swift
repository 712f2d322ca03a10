#if canImport(Glibc)
import Glibc
#endif

/// Hands the memory a pass freed back to the operating system, so that an idle daemon holds what it keeps and
/// not what its last pass read.
///
/// glibc keeps freed memory in its arenas for the next allocation: after a pass over the benchmark's
/// 1,000,000-row CSV the idle daemon held 74 MB of its own (107 MB resident) for the whole interval, and 10 MB
/// (43 MB resident, the rest its libraries' pages) once trimmed. `malloc_trim` is not in Swift's Glibc module, so
/// it is looked up by name; where it does not exist (another C library), nothing is trimmed.
enum FreedMemory {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
        // RTLD_DEFAULT: the symbol as the process's own libraries define it.
        return dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
        #else
        return nil
        #endif
    }()

    /// Returns the freed memory at the top of the heap and in every arena to the operating system.
    static func release() {
        _ = trim?(0)
    }
}
