import Testing

@testable import CommetSeats

@Suite struct CurlLibraryTests {
    @Test func aLibcurlThatCannotBeOpenedIsNamedWithTheFix() {
        // Input: a soname no library has. Expected: why it cannot be opened, with the name and the package to
        // install; whether another libcurl is open already (the other tests open the real one) changes nothing.
        let problem = CurlGlobal.open("libcurl-seat-sync-test-missing.so.4")
        #expect(problem?.contains("libcurl-seat-sync-test-missing.so.4") == true)
        #expect(problem?.hasSuffix("; install the libcurl4 package") == true)
    }

    @Test func theRealLibcurlOpens() {
        // Input: the soname the libcurl4 package provides. Expected: it opens and initialises.
        #expect(CurlGlobal.open(CurlGlobal.library) == nil)
        #expect(CurlGlobal.problem == nil)
    }
}
