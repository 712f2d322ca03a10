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
/// Not in Swift's Glibc module, so it is looked up by name; where it does not exist (another C library), nothing is
/// trimmed.
package enum FreedHeap {
    private typealias Trim = @convention(c) (Int) -> Int32

    private static let trim: Trim? = {
        #if canImport(Glibc)
        // RTLD_DEFAULT: the symbol as the process's own libraries define it.
        return dlsym(UnsafeMutableRawPointer(bitPattern: 0), "malloc_trim").map { unsafeBitCast($0, to: Trim.self) }
        #else
        return nil
        #endif
    }()

    package static func release() {
        _ = trim?(0)
    }
}
