/// A dense, row-major matrix of feature values: one row per sample, one column per feature.
///
/// ```swift
/// var x = FeatureMatrix(rows: 2, columns: 3)
/// x[1, 2] = 4.5
/// ```
public struct FeatureMatrix: Sendable, Equatable {
    /// Number of rows (samples).
    public private(set) var rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// Row-major storage: element `(r, c)` is at `r * columns + c`.
    public private(set) var values: [Double]

    /// A zero-filled matrix.
    public init(rows: Int, columns: Int) {
        precondition(rows >= 0 && columns >= 0, "matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.values = [Double](repeating: 0, count: rows * columns)
    }

    /// A matrix over existing row-major storage; `values.count` must equal `rows * columns`.
    public init(rows: Int, columns: Int, values: [Double]) {
        precondition(values.count == rows * columns, "storage size \(values.count) is not \(rows)×\(columns)")
        self.rows = rows
        self.columns = columns
        self.values = values
    }

    /// A matrix from an array of equally long rows.
    public init(rowArrays: [[Double]]) {
        let columns = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == columns }, "rows of unequal length")
        self.init(rows: rowArrays.count, columns: columns, values: rowArrays.flatMap { $0 })
    }

    /// The element at row `row`, column `column`.
    public subscript(row: Int, column: Int) -> Double {
        get { values[row * columns + column] }
        set { values[row * columns + column] = newValue }
    }

    /// A copy of one row.
    public func row(_ index: Int) -> [Double] {
        Array(values[(index * columns)..<((index + 1) * columns)])
    }

    /// A copy of one column.
    public func column(_ index: Int) -> [Double] {
        (0..<rows).map { values[$0 * columns + index] }
    }

    /// The rows at `indices`, in that order.
    public func selecting(rows indices: some Collection<Int>) -> FeatureMatrix {
        var out = [Double]()
        out.reserveCapacity(indices.count * columns)
        for r in indices { out.append(contentsOf: values[(r * columns)..<((r + 1) * columns)]) }
        return FeatureMatrix(rows: indices.count, columns: columns, values: out)
    }

    /// Appends one row of `columns` values.
    public mutating func append(row: [Double]) {
        precondition(row.count == columns, "row has \(row.count) values, matrix has \(columns) columns")
        values.append(contentsOf: row)
        rows += 1
    }
}
