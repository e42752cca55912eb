import Foundation
import MarketData
import UpdraftCLI

/// A Binance kline CSV or zip read for `updraft indicators compute`: the validated klines, the
/// text of their OHLCV fields (echoed to the output as written), and the unit of their times.
struct KlineInputFile {
    /// Klines in file order (times in µs).
    var klines: [Kline]
    /// Per kline, the text of open, high, low, close and volume as in the file.
    var fields: [[Substring]]
    /// The unit of the file's time columns (decided from the first row's digits).
    var timeUnit: TimeUnit

    /// Reads `path`: a zip (by content, whatever its name) whose CSV entries are read in
    /// archive order, or a plain 12-column CSV. Errors name the file (and entry and line).
    static func read(path: String) throws(IndicatorsInputError) -> KlineInputFile {
        guard let data = FileManager.default.contents(atPath: path) else {
            throw IndicatorsInputError("cannot read \(path): no such file or not readable")
        }
        let bytes = [UInt8](data)
        var parts: [(source: String, csv: [UInt8])] = []
        if bytes.starts(with: [0x50, 0x4B, 0x03, 0x04]) {
            do {
                let entries = try ZipArchive.entries(of: bytes, source: path)
                let csvEntries = entries.filter { $0.name.lowercased().hasSuffix(".csv") }
                for entry in csvEntries.isEmpty ? entries : csvEntries {
                    parts.append(("\(path):\(entry.name)", try ZipArchive.extract(entry, from: bytes)))
                }
            } catch {
                throw IndicatorsInputError("cannot read zip \(path): \(error)")
            }
            if parts.isEmpty { throw IndicatorsInputError("zip \(path) has no entries") }
        } else {
            parts = [(path, bytes)]
        }
        var file = KlineInputFile(klines: [], fields: [], timeUnit: .milliseconds)
        for (index, part) in parts.enumerated() {
            let klines: [Kline]
            do { klines = try KlineCSV.parse(part.csv, source: part.source) } catch {
                throw IndicatorsInputError("\(error)")
            }
            let text = String(decoding: part.csv, as: UTF8.self)
            let rows = rawRows(text)
            guard rows.count == klines.count else {
                throw IndicatorsInputError("\(part.source): read \(klines.count) klines but \(rows.count) data rows")
            }
            if index == 0, let first = rows.first {
                file.timeUnit = first[0].count >= 16 ? .microseconds : .milliseconds
            }
            file.klines += klines
            file.fields += rows.map { Array($0.dropFirst().prefix(5)) }
        }
        if file.klines.isEmpty { throw IndicatorsInputError("\(path) has no klines") }
        return file
    }

    /// The data rows' fields, skipping blank lines and a header row, as `KlineCSV` does.
    private static func rawRows(_ text: String) -> [[Substring]] {
        var rows: [[Substring]] = []
        for (number, line) in text.split(separator: "\n", omittingEmptySubsequences: false).enumerated() {
            let trimmed = line.hasSuffix("\r") ? line.dropLast() : line
            if trimmed.isEmpty { continue }
            if number == 0, let first = trimmed.first, !first.isNumber { continue }
            rows.append(trimmed.split(separator: ",", omittingEmptySubsequences: false))
        }
        return rows
    }
}

/// Bad input to `updraft indicators compute`; the message names the file at fault.
struct IndicatorsInputError: Error, CustomStringConvertible {
    var description: String
    init(_ description: String) { self.description = description }
}
