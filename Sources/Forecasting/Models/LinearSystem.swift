/// Solves symmetric positive-definite linear systems by Cholesky decomposition.
enum LinearSystem {
    /// Why a system could not be solved.
    struct NotPositiveDefinite: Error, CustomStringConvertible {
        var pivot: Int
        var description: String { "matrix is not positive definite (pivot \(pivot))" }
    }

    /// Solves `a · x = b` for symmetric positive-definite `a` (n×n, row-major).
    static func solveSymmetricPositiveDefinite(_ a: [Double], _ b: [Double], n: Int) throws -> [Double] {
        precondition(a.count == n * n && b.count == n)
        var l = [Double](repeating: 0, count: n * n)
        for j in 0..<n {
            var diagonal = a[j * n + j]
            for k in 0..<j { diagonal -= l[j * n + k] * l[j * n + k] }
            guard diagonal > 0, diagonal.isFinite else { throw NotPositiveDefinite(pivot: j) }
            let ljj = diagonal.squareRoot()
            l[j * n + j] = ljj
            for i in (j + 1)..<max(n, j + 1) {
                var s = a[i * n + j]
                for k in 0..<j { s -= l[i * n + k] * l[j * n + k] }
                l[i * n + j] = s / ljj
            }
        }
        // Forward substitution: L y = b.
        var y = b
        for i in 0..<n {
            var s = y[i]
            for k in 0..<i { s -= l[i * n + k] * y[k] }
            y[i] = s / l[i * n + i]
        }
        // Back substitution: Lᵀ x = y.
        var x = y
        for i in stride(from: n - 1, through: 0, by: -1) {
            var s = x[i]
            for k in (i + 1)..<max(n, i + 1) { s -= l[k * n + i] * x[k] }
            x[i] = s / l[i * n + i]
        }
        return x
    }
}
