import Testing

@testable import UpdraftHTTP

@Suite("libcurl opened on first use")
struct CurlLibraryTests {
    @Test func opensTheSystemLibrary() throws {
        let curl = try CurlLibrary.shared.get()
        #expect(curl.easy_setopt != nil && curl.slist_free_all != nil)
    }

    @Test func aLibraryThatCannotBeOpenedIsNamedWithTheReason() {
        guard case .failure(let error) = CurlLibrary.open("libcurl-updraft-missing.so.4") else {
            Issue.record("a missing library opened")
            return
        }
        #expect(error.library == "libcurl-updraft-missing.so.4")
        #expect(error.description.contains("libcurl-updraft-missing.so.4: libcurl-updraft-missing.so.4: cannot open shared object file"))
    }

    @Test func aLibraryWithoutTheEntryPointsIsRefused() {
        // libz opens, but it has no curl_global_init.
        guard case .failure(let error) = CurlLibrary.open("libz.so.1") else {
            Issue.record("libz was taken for libcurl")
            return
        }
        #expect(error.reason.contains("curl_global_init"))
    }
}
