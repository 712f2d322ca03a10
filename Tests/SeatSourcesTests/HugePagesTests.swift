import Testing

@testable import SeatSources

@Suite struct HugePagesTests {
    /// Input: buffers at unaligned and aligned addresses, of sizes around one and two huge pages. Expected: only
    /// whole 2 MiB pages inside the buffer are advised, none when the buffer holds no whole one.
    @Test func advisesOnlyWholeHugePagesInsideTheBuffer() {
        let page = HugePages.size
        #expect(HugePages.wholePages(start: 0x1000, count: 5 * page) == page..<5 * page)
        #expect(HugePages.wholePages(start: page, count: 2 * page) == page..<3 * page)
        #expect(HugePages.wholePages(start: page + 1, count: 2 * page) == 2 * page..<3 * page)
        #expect(HugePages.wholePages(start: 0x1000, count: 2 * page) == page..<2 * page)
        #expect(HugePages.wholePages(start: 0x1000, count: 2 * page - 0x2000) == nil)
        #expect(HugePages.wholePages(start: page, count: page - 1) == nil)
        #expect(HugePages.wholePages(start: 0, count: 0) == nil)
    }
}
