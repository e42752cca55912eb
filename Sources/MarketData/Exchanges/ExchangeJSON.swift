import Foundation

/// Reads an exchange's JSON and says exactly what was wrong with it: the exchange, the URL, the row
/// and the field (`Kraken answer for http://…/0/public/OHLC?pair=XXBTZUSD: row 3 field 2 (open):
/// expected a decimal string`).
struct ExchangeJSON {
    let exchange: ExchangeID
    let url: String

    func failure(_ reason: String) -> ExchangeError {
        ExchangeError(exchange: exchange, url: url, code: nil, message: "unexpected answer: \(reason)")
    }

    func parse(_ body: [UInt8]) throws -> Any {
        guard let value = try? JSONSerialization.jsonObject(with: Data(body), options: [.fragmentsAllowed]) else {
            let start = String(decoding: body.prefix(80), as: UTF8.self)
            throw failure("not JSON: \(start)\(body.count > 80 ? "…" : "")")
        }
        return value
    }

    func rows(_ value: Any?, _ what: String) throws -> [[Any]] {
        guard let array = value as? [Any] else { throw failure("\(what) is not an array") }
        return try array.enumerated().map { index, row in
            guard let fields = row as? [Any] else { throw failure("\(what) row \(index): not an array") }
            return fields
        }
    }

    func field(_ row: [Any], _ position: Int, _ name: String, row index: Int) throws -> Any {
        guard position < row.count else {
            throw failure("row \(index): \(row.count) fields, expected at least \(position + 1) (\(name) is field \(position + 1))")
        }
        return row[position]
    }

    func string(_ row: [Any], _ position: Int, _ name: String, row index: Int) throws -> String {
        guard let text = try field(row, position, name, row: index) as? String else {
            throw failure("row \(index) field \(position + 1) (\(name)): expected a string")
        }
        return text
    }

    func decimal(_ row: [Any], _ position: Int, _ name: String, row index: Int) throws -> FixedDecimal {
        let text = try string(row, position, name, row: index)
        do { return try ExchangeDecimal.parse(text) } catch {
            throw failure("row \(index) field \(position + 1) (\(name)): \"\(text)\" \(error)")
        }
    }

    /// An integer sent as a number or as numeric text.
    func integer(_ row: [Any], _ position: Int, _ name: String, row index: Int) throws -> Int64 {
        let value = try field(row, position, name, row: index)
        if let number = value as? NSNumber { return number.int64Value }
        if let text = value as? String, let number = Int64(text) { return number }
        throw failure("row \(index) field \(position + 1) (\(name)): expected an integer")
    }

    func number(_ row: [Any], _ position: Int, _ name: String, row index: Int) throws -> Double {
        let value = try field(row, position, name, row: index)
        if let number = value as? NSNumber { return number.doubleValue }
        if let text = value as? String, let number = Double(text) { return number }
        throw failure("row \(index) field \(position + 1) (\(name)): expected a number")
    }
}
