import CCurl

/// libcurl, opened with `dlopen` by the first transfer rather than linked into the binary.
///
/// A linked libcurl is mapped and relocated, with the thirty libraries it needs (TLS, Kerberos,
/// LDAP, IDN...), by every process the binary starts: the CLI's reads and every worker, HTTP or
/// not. That was about 6 ms of each start. Opened here, only a process that makes a request pays.
enum CurlLibrary {
    /// The shared object's name (libcurl's ABI 4; Debian's `libcurl4`).
    static let soname = "libcurl.so.4"

    /// The entry points, or why libcurl cannot be used: opened, and globally initialised, once.
    static let shared: Result<updraft_curl_api, CurlUnavailable> = open(soname).flatMap { api in
        let code = updraft_curl_global_init(api, Int(CURL_GLOBAL_ALL))
        guard code == CURLE_OK else {
            return .failure(CurlUnavailable(library: soname, reason: "curl_global_init failed (curl \(code.rawValue))"))
        }
        return .success(api)
    }

    /// Opens `library` and resolves the entry points Updraft calls.
    static func open(_ library: String) -> Result<updraft_curl_api, CurlUnavailable> {
        var api = updraft_curl_api()
        if let error = updraft_curl_open(library, &api) {
            return .failure(CurlUnavailable(library: library, reason: String(cString: error)))
        }
        return .success(api)
    }
}

/// libcurl could not be opened or initialised: the library's name and the loader's reason.
struct CurlUnavailable: Error, Sendable, CustomStringConvertible {
    var library: String
    var reason: String

    var description: String {
        "libcurl is not available (\(library): \(reason)); install Debian's libcurl4 package"
    }
}

/// The table holds function pointers into the opened library and is never written after the load.
extension updraft_curl_api: @retroactive @unchecked Sendable {}
