/// The last few kilobytes a worker wrote to its stderr pipe, for crash reports.
struct StderrTail {
    static let capacity = 8192
    private(set) var bytes: [UInt8] = []

    mutating func append(_ chunk: UnsafeRawBufferPointer) {
        bytes.append(contentsOf: chunk)
        if bytes.count > Self.capacity { bytes.removeFirst(bytes.count - Self.capacity) }
    }

    mutating func append(_ chunk: [UInt8]) {
        chunk.withUnsafeBytes { append($0) }
    }

    /// The last `lines` lines as text (invalid UTF-8 repaired).
    func text(lines: Int = 20) -> String {
        let all = String(decoding: bytes, as: UTF8.self)
        let kept = all.split(separator: "\n", omittingEmptySubsequences: false).suffix(lines + 1)
        return kept.joined(separator: "\n").trimmingTrailingNewlines()
    }
}

extension String {
    fileprivate func trimmingTrailingNewlines() -> String {
        var text = self
        while text.last == "\n" || text.last == "\r" { text.removeLast() }
        return text
    }
}
