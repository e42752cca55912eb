/// Builders for output arrays that a kernel fills completely, without zero-filling them first.
enum OutputColumns {
    /// One array of `count` values, every element written by `body`.
    @inline(__always)
    static func one(_ count: Int, _ body: (UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        guard count > 0 else { return [] }
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            body(buffer.baseAddress!)
            initialized = count
        }
    }

    /// Two arrays of `count` values, every element written by `body`.
    @inline(__always)
    static func two(
        _ count: Int, _ body: (UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>) -> Void
    )
        -> ([Double], [Double])
    {
        guard count > 0 else { return ([], []) }
        var second: [Double] = []
        let first = one(count) { a in
            second = one(count) { b in body(a, b) }
        }
        return (first, second)
    }

    /// Three arrays of `count` values, every element written by `body`.
    @inline(__always)
    static func three(
        _ count: Int,
        _ body: (
            UnsafeMutablePointer<Double>, UnsafeMutablePointer<Double>,
            UnsafeMutablePointer<Double>
        ) -> Void
    ) -> ([Double], [Double], [Double]) {
        guard count > 0 else { return ([], [], []) }
        var third: [Double] = []
        let (first, second) = two(count) { a, b in
            third = one(count) { c in body(a, b, c) }
        }
        return (first, second, third)
    }
}
