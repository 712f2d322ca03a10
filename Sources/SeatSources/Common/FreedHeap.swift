#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// Hands the memory `malloc` holds freed back to the operating system (glibc's `malloc_trim`), in every arena.
///
/// glibc keeps freed memory for later allocations, but only for allocations of the same arena, and a thread that
/// allocates beside another gets an arena of its own: memory the readers' second thread (``BatchWorker``) freed
/// stays resident while the reading thread allocates anew. `malloc_trim` returns the free pages of every arena.
///
/// `malloc_trim` and `mallopt` are not in Swift's Glibc module, so they are looked up by name; where they do not
/// exist (another C library), nothing is trimmed or set.
package enum FreedHeap {
    private typealias Trim = @convention(c) (Int) -> Int32
    private typealias Option = @convention(c) (Int32, Int32) -> Int32

    private static let trim: Trim? = function("malloc_trim")
    private static let option: Option? = function("mallopt")

    /// glibc's `M_MMAP_THRESHOLD`, and the threshold's starting value.
    private static let mappingThresholdOption: Int32 = -3
    private static let mappingThreshold: Int32 = 128 * 1024

    package static func release() {
        _ = trim?(0)
    }

    /// Keeps glibc's mmap threshold at its starting value, 128 KiB, for the life of the process.
    ///
    /// glibc otherwise raises the threshold to the size of each mapped block that is freed (up to 32 MiB). Which
    /// large blocks were freed first then decided whether a later large array got a mapping of its own, whose pages
    /// go back as it is freed, or a place in an arena, which keeps them: the many-groups benchmark's peak rose from
    /// 98 to 107 MiB when the config file stopped being read through a 1 MiB buffer. With the threshold fixed it is
    /// 94 MiB, whatever was freed first. Call it before anything large is allocated.
    package static func fixMappingThreshold() {
        _ = option?(mappingThresholdOption, mappingThreshold)
    }

    private static func function<Function>(_ name: String) -> Function? {
        #if canImport(Glibc)
        // RTLD_DEFAULT: the symbol as the process's own libraries define it.
        return dlsym(UnsafeMutableRawPointer(bitPattern: 0), name).map { unsafeBitCast($0, to: Function.self) }
        #else
        return nil
        #endif
    }
}
