#if canImport(Glibc)
import Glibc
#endif

/// Asks the kernel to back large buffers with 2 MiB pages (`MADV_HUGEPAGE`).
///
/// A file read whole into memory (a snapshot that cannot be mapped) and a tape kept whole are written once, front
/// to back, and each of their 4 KiB pages first costs a page fault: 15% of reading the benchmark's snapshot, when
/// its text was read. Where transparent huge pages are enabled "always" the advice
/// changes nothing; where they are "madvise" (Debian's default) a region needs it to get them. Resident memory
/// grows by at most the untouched part of one huge page per buffer. A kernel without them ignores the advice.
enum HugePages {
    static let size = 2 << 20

    /// Advises the part of `buffer` made of whole huge pages.
    static func advise(_ buffer: UnsafeMutableRawBufferPointer) {
        #if os(Linux)
        guard let base = buffer.baseAddress, let part = wholePages(start: Int(bitPattern: base), count: buffer.count)
        else { return }
        _ = madvise(UnsafeMutableRawPointer(bitPattern: part.lowerBound), part.count, MADV_HUGEPAGE)
        #endif
    }

    /// The addresses of the whole huge pages in the `count` bytes from `start`, or `nil` when there are none.
    static func wholePages(start: Int, count: Int) -> Range<Int>? {
        let first = (start + size - 1) & ~(size - 1)
        let end = (start + count) & ~(size - 1)
        return first < end ? first..<end : nil
    }
}
