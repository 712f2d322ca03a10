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

    /// glibc's `M_MMAP_THRESHOLD`, and the threshold seat-sync keeps.
    private static let mappingThresholdOption: Int32 = -3
    private static let mappingThreshold: Int32 = 1 << 20

    package static func release() {
        _ = trim?(0)
    }

    /// Keeps glibc's mmap threshold at 1 MiB for the life of the process: blocks from 1 MiB on get a mapping of
    /// their own, whose pages go back as they are freed; smaller ones come from an arena, which keeps them for reuse.
    ///
    /// glibc otherwise starts at 128 KiB and raises the threshold to the size of each mapped block that is freed
    /// (up to 32 MiB), so which blocks happened to be freed first decided where later arrays went. Reading the
    /// config without a 1 MiB chunk buffer moved the many-groups benchmark's peak from 98 to 104 MiB. Measured over
    /// 14 runs of the CSV and 8 of many-groups (check-config, medians): glibc's default 0.59 s and 95.5 MiB, 104
    /// MiB on many-groups; fixed at 128 KiB, the CSV 10% slower (each table's growth mapped and faulted in anew)
    /// and many-groups at 91 MiB; fixed at 1 MiB, the CSV as fast, 96 MiB, and many-groups at 91 MiB. Call it
    /// before anything large is allocated.
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
