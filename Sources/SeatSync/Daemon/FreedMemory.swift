import SeatSources

#if canImport(Glibc)
import Glibc
#endif

/// Hands the memory a pass used back to the operating system, so that an idle daemon holds what it keeps and
/// not what its last pass read or ran.
///
/// glibc keeps freed memory in its arenas for the next allocation: after a pass over the benchmark's
/// 1,000,000-row CSV the idle daemon held 74 MB of its own (107 MB resident) for the whole interval, and 10 MB
/// (43 MB resident) once trimmed. Most of those 43 MB were then pages of code: seat-sync's and the Swift
/// libraries' that the pass ran, about 15 MB of them in the binary alone, which stay mapped (and are charged to
/// the service's cgroup, which `systemctl status` shows) until the kernel needs the memory. Asking the kernel to
/// reclaim them brings the idle daemon under 30 MB; the next pass reads back what it runs, a few megabytes from
/// the page cache or the disk once an interval.
///
/// `MADV_PAGEOUT` needs Linux 5.4; an older kernel refuses it and the pages stay.
enum FreedMemory {
    /// Returns the freed memory at the top of the heap and in every arena to the operating system, and lets the
    /// kernel reclaim the code pages the process has mapped.
    static func release() {
        FreedHeap.release()
        #if os(Linux)
        for range in codeMappings() {
            // Only read-only executable mappings of files: reclaiming a page of one loses nothing (it is read
            // back from the file when next run). The kernel skips pages that other processes map too.
            _ = madvise(UnsafeMutableRawPointer(bitPattern: range.lowerBound), range.count, MADV_PAGEOUT)
        }
        #endif
    }

    /// The address ranges of the process's `r-xp` mappings of files, from `/proc/self/maps`.
    static func codeMappings() -> [Range<UInt>] {
        guard let maps = fopen("/proc/self/maps", "r") else { return [] }
        defer { fclose(maps) }
        var ranges: [Range<UInt>] = []
        var buffer = [CChar](repeating: 0, count: 4096)
        while fgets(&buffer, Int32(buffer.count), maps) != nil {
            let line = String(decoding: buffer.prefix { $0 != 0 }.map { UInt8(bitPattern: $0) }, as: UTF8.self)
            // "start-end perms offset dev inode path"
            let fields = line.split(separator: " ", omittingEmptySubsequences: true)
            guard fields.count >= 6, fields[1] == "r-xp", fields[5].hasPrefix("/") else { continue }
            let bounds = fields[0].split(separator: "-")
            guard bounds.count == 2, let start = UInt(bounds[0], radix: 16), let end = UInt(bounds[1], radix: 16),
                start < end
            else { continue }
            ranges.append(start..<end)
        }
        return ranges
    }
}
