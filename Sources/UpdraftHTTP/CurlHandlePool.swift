import CCurl

/// Idle libcurl easy handles kept for reuse: a handle keeps its connection cache (and DNS and TLS
/// session caches) across `curl_easy_reset`, so reusing handles reuses keep-alive connections.
final class CurlHandlePool: Sendable {
    /// libcurl's global initialisation, done once before the first handle is made.
    private static let globalInit: Bool = {
        curl_global_init(Int(CURL_GLOBAL_ALL)) == CURLE_OK
    }()

    private let idle = Locked<[CurlHandle]>([])
    private let maxIdle: Int

    init(maxIdle: Int = 8) {
        self.maxIdle = maxIdle
    }

    deinit {
        idle.withLock { handles in
            for handle in handles { curl_easy_cleanup(handle.raw) }
            handles.removeAll()
        }
    }

    /// An idle handle, or a new one; `nil` only when libcurl cannot allocate.
    func checkOut() -> CurlHandle? {
        _ = Self.globalInit
        if let handle = idle.withLock({ $0.popLast() }) { return handle }
        return curl_easy_init().map(CurlHandle.init)
    }

    /// Returns a handle for reuse, its options reset and its connections kept.
    func checkIn(_ handle: CurlHandle) {
        curl_easy_reset(handle.raw)
        let kept = idle.withLock { handles -> Bool in
            guard handles.count < maxIdle else { return false }
            handles.append(handle)
            return true
        }
        if !kept { curl_easy_cleanup(handle.raw) }
    }
}

/// A libcurl easy handle, used by one thread at a time (checked out of the pool).
struct CurlHandle: @unchecked Sendable {
    let raw: UnsafeMutableRawPointer
}
