#if canImport(Glibc)
import Glibc
#endif

/// Builders for output arrays that a kernel fills completely, without zero-filling them first.
enum OutputColumns {
    /// One array of `count` values, every element written by `body`.
    @inline(__always)
    static func one(_ count: Int, _ body: (UnsafeMutablePointer<Double>) -> Void) -> [Double] {
        guard count > 0 else { return [] }
        return [Double](unsafeUninitializedCapacity: count) { buffer, initialized in
            adviseHugePages(buffer.baseAddress!, bytes: count * MemoryLayout<Double>.stride)
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

    /// `width` arrays of `count` values, every element written by `body`, which gets one
    /// pointer per array in order.
    static func many(_ count: Int, _ width: Int, _ body: ([UnsafeMutablePointer<Double>]) -> Void) -> [[Double]] {
        guard count > 0 else { return Array(repeating: [], count: width) }
        var pointers: [UnsafeMutablePointer<Double>] = []
        var arrays: [[Double]] = []
        func nest() {
            if pointers.count == width { return body(pointers) }
            // The innermost array is finished first: `arrays` fills in reverse.
            arrays.append(
                one(count) { pointer in
                    pointers.append(pointer); nest()
                })
        }
        nest()
        return arrays.reversed()
    }

    /// A column of a million values is 8 MB of fresh pages in a new process: asking for
    /// transparent huge pages over its 2 MB-aligned interior turns ~2,000 page faults (each
    /// zeroing 4 KB) into four, which halves `StandardIndicators.compute` there. A hint only:
    /// where huge pages are off, or for smaller columns, nothing changes.
    @inline(__always)
    static func adviseHugePages(_ base: UnsafeMutableRawPointer, bytes: Int) {
        #if canImport(Glibc)
        let huge = 2 << 20
        guard bytes >= 2 * huge else { return }
        let start = (Int(bitPattern: base) + huge - 1) & ~(huge - 1)
        let end = (Int(bitPattern: base) + bytes) & ~(huge - 1)
        guard end > start, let aligned = UnsafeMutableRawPointer(bitPattern: start) else { return }
        _ = madvise(aligned, end - start, MADV_HUGEPAGE)
        #endif
    }
}
