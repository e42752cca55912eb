import Forecasting
import Foundation
import UpdraftCLI

/// Text and JSON rendering shared by the model and prediction commands.
enum ForecastingFormat {
    /// `2025-01-01T00:00:00Z` from µs since the epoch.
    static func time(_ micros: Int64) -> String {
        let formatter = ISO8601DateFormatter()
        formatter.timeZone = TimeZone(identifier: "UTC")
        return formatter.string(from: Date(timeIntervalSince1970: Double(micros) / 1_000_000))
    }

    /// A number in scientific notation with 4 significant digits.
    static func number(_ value: Double) -> String { String(format: "%.4g", value) }

    /// Pretty, key-sorted JSON of `value`, as a string.
    static func json(_ value: some Encodable) throws -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return String(decoding: try encoder.encode(value), as: UTF8.self)
    }

    /// Rows padded into left-aligned columns separated by two spaces (the engine's `TextTable`,
    /// without its final newline).
    static func table(_ header: [String], _ rows: [[String]]) -> String {
        var table = TextTable(header)
        for row in rows { table.append(row) }
        return String(table.render().dropLast())
    }
}

/// A model with its standing, as `models list --json` and `models show --json` print it.
struct ModelReport: Codable {
    var model: ModelRecord
    /// Whether it is the best model for its symbol and horizon.
    var best: Bool
    /// Live metrics from scored predictions, when any matured.
    var live: ForecastMetrics?
}
