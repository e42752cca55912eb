import CCurl

/// Idle libcurl easy handles kept for reuse: a handle keeps its connection cache (and DNS and TLS
/// session caches) across `curl_easy_reset`, so reusing handles reuses keep-alive connections.
final class CurlHandlePool: Sendable {
    private let idle = Locked<[CurlHandle]>([])
    private let maxIdle: Int

    init(maxIdle: Int = 8) {
        self.maxIdle = maxIdle
    }

    deinit {
        idle.withLock { handles in
            for handle in handles { updraft_curl_easy_cleanup(handle.curl, handle.raw) }
            handles.removeAll()
        }
    }

    /// An idle handle, or a new one (nil when libcurl cannot allocate one); throws when libcurl
    /// cannot be opened.
    func checkOut() throws(CurlUnavailable) -> CurlHandle? {
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        let curl = try CurlLibrary.shared.get()
        return updraft_curl_easy_init(curl).map { CurlHandle(raw: $0, curl: curl) }
    }

    /// Returns a handle for reuse, its options reset and its connections kept.
    func checkIn(_ handle: CurlHandle) {
        updraft_curl_easy_reset(handle.curl, handle.raw)
        let kept = idle.withLock { handles -> Bool in
            guard handles.count < maxIdle else { return false }
            handles.append(handle)
            return true
        }
        if !kept { updraft_curl_easy_cleanup(handle.curl, handle.raw) }
    }
}

/// A libcurl easy handle, used by one thread at a time (checked out of the pool), with the
/// library's entry points.
struct CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
    let curl: updraft_curl_api
}
