/// A kline CSV that cannot be read: names the source, the line and, when one field is at
/// fault, its column (1-based) and name.
public struct KlineCSVError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file (or archive member) being read.
    public var source: String
    /// 1-based line number in the CSV.
    public var line: Int
    /// 1-based column of the field at fault, if one is.
    public var column: Int?
    /// What is wrong.
    public var reason: String

    /// An error at `line` (and `column`, when one field is at fault) of `source`.
    public init(source: String, line: Int, column: Int? = nil, reason: String) {
        self.source = source
        self.line = line
        self.column = column
        self.reason = reason
    }

    /// Binance's names of the 12 columns, in order.
    public static let columnNames = [
        "open_time", "open", "high", "low", "close", "volume", "close_time", "quote_volume",
        "count", "taker_buy_volume", "taker_buy_quote_volume", "ignore",
    ]

    public var description: String {
        if let column {
            let name = column >= 1 && column <= 12 ? " (\(Self.columnNames[column - 1]))" : ""
            return "\(source) line \(line), column \(column)\(name): \(reason)"
        }
        return "\(source) line \(line): \(reason)"
    }
}
