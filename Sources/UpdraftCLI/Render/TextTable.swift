/// A plain text table for listings: a header row, left-aligned columns padded with spaces
/// (right-aligned where asked), two spaces between columns, no trailing spaces.
///
/// ```swift
/// var table = TextTable(["DAG", "RUNS"], rightAligned: [1])
/// table.append(["bench_daily", "20"])
/// print(table.render())
/// // DAG          RUNS
/// // bench_daily    20
/// ```
public struct TextTable: Sendable {
    /// Column titles.
    public var header: [String]
    /// Indices of right-aligned (numeric) columns.
    public var rightAligned: Set<Int>
    /// Data rows; short rows are padded with empty cells.
    public var rows: [[String]] = []

    /// Creates an empty table with these column titles.
    public init(_ header: [String], rightAligned: Set<Int> = []) {
        self.header = header
        self.rightAligned = rightAligned
    }

    /// Adds a row.
    public mutating func append(_ row: [String]) { rows.append(row) }

    /// The table as lines joined by `\n` (with a final newline when there is at least the header).
    public func render() -> String {
        let all = [header] + rows
        let columns = all.map(\.count).max() ?? 0
        var widths = [Int](repeating: 0, count: columns)
        for row in all {
            for (index, cell) in row.enumerated() { widths[index] = max(widths[index], cell.count) }
        }
        var output = ""
        for row in all {
            var line = ""
            for index in 0..<columns {
                let cell = index < row.count ? row[index] : ""
                let padding = String(repeating: " ", count: widths[index] - cell.count)
                if index > 0 { line += "  " }
                line += rightAligned.contains(index) ? padding + cell : cell + padding
            }
            while line.last == " " { line.removeLast() }
            output += line + "\n"
        }
        return output
    }
}
