/// The last few inputs of a series, kept by incremental states whose windows reach back
/// past the start of the next chunk (SMA, Bollinger, stochastic).
struct InputTail: Sendable, Equatable, Codable {
    /// How many trailing inputs are kept.
    let capacity: Int
    /// Oldest first; at most `capacity` values.
    private(set) var values: [Double] = []

    init(capacity: Int) {
        self.capacity = max(0, capacity)
    }

    /// Appends a processed chunk, keeping only the last `capacity` values.
    mutating func absorb(_ chunk: UnsafeBufferPointer<Double>) {
        guard capacity > 0 else { return }
        if chunk.count >= capacity {
            values = Array(chunk[(chunk.count - capacity)...])
        } else {
            values.append(contentsOf: chunk)
            if values.count > capacity { values.removeFirst(values.count - capacity) }
        }
    }
}

/// Reads element `j` of a chunk, where a negative `j` reaches back into the inputs before it.
@inline(__always)
func element(_ j: Int, _ chunk: UnsafePointer<Double>, _ tail: UnsafeBufferPointer<Double>) -> Double {
    j >= 0 ? chunk[j] : tail[tail.count + j]
}
