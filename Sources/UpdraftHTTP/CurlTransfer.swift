import CCurl
import Foundation

/// What one libcurl transfer produced: a CURLcode and, when the server answered, its status,
/// headers and body.
struct CurlOutcome: Sendable {
    var code: Int
    var errorText: String
    var status: Int
    var headers: HTTPHeaders
    var body: [UInt8]
    var fileBytes: Int
    var fileFailed: Bool
    var connectionsOpened: Int = 0
}

/// One blocking `curl_easy_perform` on a dedicated thread. Its buffers are touched only by that
/// thread while the transfer runs, except the cancel flag, which is locked.
final class CurlTransfer: @unchecked Sendable {
    private let handle: CurlHandle
    private var body: [UInt8] = []
    private var headers = HTTPHeaders()
    private var file: UnsafeMutablePointer<FILE>?
    private var fileBytes = 0
    private var fileFailed = false
    private let cancelled = Locked(false)

    private init(handle: CurlHandle) {
        self.handle = handle
    }

    /// Runs `request` once, off Swift's cooperative pool; cancelling the task aborts the transfer.
    static func run(_ request: HTTPRequest, partialFile: String?, pool: CurlHandlePool) async -> CurlOutcome {
        let handle: CurlHandle
        do {
            guard let checkedOut = try pool.checkOut() else {
                return CurlOutcome(
                    code: Int(CURLE_OUT_OF_MEMORY.rawValue), errorText: "curl_easy_init failed",
                    status: 0, headers: [:], body: [], fileBytes: 0, fileFailed: false)
            }
            handle = checkedOut
        } catch {
            return CurlOutcome(
                code: Int(CURLE_FAILED_INIT.rawValue), errorText: error.description,
                status: 0, headers: [:], body: [], fileBytes: 0, fileFailed: false)
        }
        let transfer = CurlTransfer(handle: handle)
        return await withTaskCancellationHandler {
            await withCheckedContinuation { continuation in
                Thread.detachNewThread {
                    let outcome = transfer.perform(request, partialFile: partialFile)
                    pool.checkIn(handle)
                    continuation.resume(returning: outcome)
                }
            }
        } onCancel: {
            transfer.cancelled.withLock { $0 = true }
        }
    }

    private func perform(_ request: HTTPRequest, partialFile: String?) -> CurlOutcome {
        let h = handle.raw
        let curl = handle.curl
        let errorBuffer = UnsafeMutablePointer<CChar>.allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        var headerList: UnsafeMutablePointer<curl_slist>?
        defer {
            errorBuffer.deallocate()
            updraft_curl_slist_free_all(curl, headerList)
            if let file { fclose(file) }
        }
        if let partialFile {
            file = fopen(partialFile, "wb")
            if file == nil {
                fileFailed = true
                return outcome(
                    code: Int(CURLE_WRITE_ERROR.rawValue), text: "cannot open \(partialFile): \(String(cString: strerror(errno)))")
            }
        }
        for field in request.headers {
            headerList = updraft_curl_slist_append(curl, headerList, "\(field.name): \(field.value)")
        }
        let context = Unmanaged.passUnretained(self).toOpaque()
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_URL, request.url)
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_HTTPGET, 1)
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_CUSTOMREQUEST, nil)  // a pooled handle may carry another method
        if request.method != "GET" {
            let body = request.body ?? []
            _ = updraft_curl_setopt_long(curl, h, CURLOPT_POST, 1)
            _ = updraft_curl_setopt_off_t(curl, h, CURLOPT_POSTFIELDSIZE_LARGE, curl_off_t(body.count))
            body.withUnsafeBufferPointer { buffer in
                // libcurl copies the bytes now: the body need not outlive this call.
                _ = updraft_curl_setopt_pointer(curl, h, CURLOPT_COPYPOSTFIELDS, UnsafeMutableRawPointer(mutating: buffer.baseAddress))
            }
            if request.method != "POST" { _ = updraft_curl_setopt_string(curl, h, CURLOPT_CUSTOMREQUEST, request.method) }
        }
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_NOSIGNAL, 1)
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_FOLLOWLOCATION, 1)
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_MAXREDIRS, 5)
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_TCP_KEEPALIVE, 1)
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_PROTOCOLS_STR, "http,https")
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_ACCEPT_ENCODING, "")
        _ = updraft_curl_setopt_string(curl, h, CURLOPT_USERAGENT, "updraft/1.0 (libcurl)")
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_CONNECTTIMEOUT_MS, Self.milliseconds(request.connectTimeout))
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_TIMEOUT_MS, Self.milliseconds(request.timeout))
        _ = updraft_curl_setopt_pointer(curl, h, CURLOPT_ERRORBUFFER, errorBuffer)
        _ = updraft_curl_setopt_slist(curl, h, CURLOPT_HTTPHEADER, headerList)
        _ = updraft_curl_setopt_write_function(curl, h) { pointer, size, count, userdata in
            guard let pointer, let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.receiveBody(UnsafeRawBufferPointer(start: pointer, count: size * count))
        }
        _ = updraft_curl_setopt_pointer(curl, h, CURLOPT_WRITEDATA, context)
        _ = updraft_curl_setopt_header_function(curl, h) { pointer, size, count, userdata in
            guard let pointer, let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            transfer.receiveHeader(UnsafeRawBufferPointer(start: pointer, count: size * count))
            return size * count
        }
        _ = updraft_curl_setopt_pointer(curl, h, CURLOPT_HEADERDATA, context)
        _ = updraft_curl_setopt_long(curl, h, CURLOPT_NOPROGRESS, 0)
        _ = updraft_curl_setopt_xferinfo_function(curl, h) { userdata, _, _, _, _ in
            guard let userdata else { return 0 }
            let transfer = Unmanaged<CurlTransfer>.fromOpaque(userdata).takeUnretainedValue()
            return transfer.cancelled.withLock { $0 } ? 1 : 0
        }
        _ = updraft_curl_setopt_pointer(curl, h, CURLOPT_XFERINFODATA, context)

        let code = updraft_curl_easy_perform(curl, h)
        var text = String(cString: errorBuffer)
        if text.isEmpty { text = String(cString: updraft_curl_easy_strerror(curl, code)) }
        return outcome(code: Int(code.rawValue), text: text)
    }

    private func outcome(code: Int, text: String) -> CurlOutcome {
        var connects = 0
        _ = updraft_curl_getinfo_long(handle.curl, handle.raw, CURLINFO_NUM_CONNECTS, &connects)
        return CurlOutcome(
            code: code, errorText: text, status: currentStatus(), headers: headers, body: body,
            fileBytes: fileBytes, fileFailed: fileFailed, connectionsOpened: connects)
    }

    private func currentStatus() -> Int {
        var status = 0
        _ = updraft_curl_getinfo_long(handle.curl, handle.raw, CURLINFO_RESPONSE_CODE, &status)
        return status
    }

    /// Body bytes go to the file for a 2xx answer of a download, else to memory (error bodies too).
    private func receiveBody(_ bytes: UnsafeRawBufferPointer) -> Int {
        if let file, (200..<300).contains(currentStatus()) {
            guard let base = bytes.baseAddress, fwrite(base, 1, bytes.count, file) == bytes.count else {
                fileFailed = true
                return 0
            }
            fileBytes += bytes.count
        } else {
            body.append(contentsOf: bytes)
        }
        return bytes.count
    }

    /// A new status line (redirect, 100-continue) starts a fresh header list.
    private func receiveHeader(_ bytes: UnsafeRawBufferPointer) {
        let line = String(decoding: bytes, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
        if line.hasPrefix("HTTP/") {
            headers = HTTPHeaders()
            body.removeAll(keepingCapacity: true)
        } else if let colon = line.firstIndex(of: ":") {
            let name = line[..<colon].trimmingCharacters(in: .whitespaces)
            let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
            headers.add(name, value)
        }
    }

    private static func milliseconds(_ duration: Duration) -> Int {
        max(1, Int((duration.timeInterval * 1000).rounded(.up)))
    }
}
