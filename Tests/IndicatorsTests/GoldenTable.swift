import Foundation

/// A CSV of TA-Lib golden values: a header row, then numbers (`NaN` where undefined).
/// Case files from `Fixtures/generate.py` start with a `# talib … params: k=v …` line.
struct GoldenTable {
    let name: String
    let columns: [String: [Double]]
    let rawColumns: [String: [Substring]]
    let parameters: [String: [Double]]
    let count: Int

    /// The fixture directory next to this file.
    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static func load(_ relativePath: String) throws -> GoldenTable {
        let url = fixtures.appendingPathComponent(relativePath)
        let text = try String(contentsOf: url, encoding: .utf8)
        var lines = text.split(separator: "\n", omittingEmptySubsequences: true)
        var parameters: [String: [Double]] = [:]
        if let first = lines.first, first.hasPrefix("#") {
            let spec = first.components(separatedBy: "params:").last ?? ""
            for item in spec.split(separator: " ") {
                let pair = item.split(separator: "=")
                guard pair.count == 2 else { continue }
                parameters[String(pair[0])] = pair[1].split(separator: ",").map { Double(String($0))! }
            }
            lines.removeFirst()
        }
        let header = lines.removeFirst().split(separator: ",").map(String.init)
        var raw = Array(repeating: [Substring](), count: header.count)
        for line in lines {
            let fields = line.split(separator: ",", omittingEmptySubsequences: false)
            precondition(fields.count == header.count, "\(relativePath): bad row \(line)")
            for (index, field) in fields.enumerated() { raw[index].append(field) }
        }
        var columns: [String: [Double]] = [:]
        var rawColumns: [String: [Substring]] = [:]
        for (index, name) in header.enumerated() {
            columns[name] = raw[index].map { $0 == "NaN" ? .nan : Double(String($0))! }
            rawColumns[name] = raw[index]
        }
        return GoldenTable(
            name: relativePath, columns: columns, rawColumns: rawColumns,
            parameters: parameters, count: lines.count)
    }

    subscript(_ column: String) -> [Double] {
        guard let values = columns[column] else { preconditionFailure("\(name) has no column \(column)") }
        return values
    }

    func parameter(_ key: String) -> [Int] { parameters[key]!.map { Int($0) } }

    /// The generated cases under `Fixtures/cases`.
    static func caseNames() throws -> [String] {
        try FileManager.default.contentsOfDirectory(atPath: fixtures.appendingPathComponent("cases").path)
            .filter { $0.hasSuffix(".csv") }.sorted()
    }
}

/// How far `actual` is from `expected`: the largest relative error (|a − e| / max(|a|, |e|)),
/// and the first index where one is NaN and the other is not.
struct Deviation: CustomStringConvertible {
    var maxRelative = 0.0
    var worstIndex = -1
    var nanMismatch: Int?

    init(_ actual: [Double], _ expected: [Double]) {
        precondition(actual.count == expected.count, "length \(actual.count) vs \(expected.count)")
        for i in 0..<actual.count {
            let a = actual[i], e = expected[i]
            if a.isNaN || e.isNaN {
                if a.isNaN != e.isNaN && nanMismatch == nil { nanMismatch = i }
                continue
            }
            if a == e { continue }
            let relative = abs(a - e) / max(abs(a), abs(e))
            if relative > maxRelative {
                maxRelative = relative
                worstIndex = i
            }
        }
    }

    /// Matches when the NaNs line up and every value is within `tolerance` relative.
    func matches(_ tolerance: Double = 1e-9) -> Bool { nanMismatch == nil && maxRelative <= tolerance }

    var description: String {
        "max relative \(maxRelative) at \(worstIndex)" + (nanMismatch.map { ", NaN mismatch at \($0)" } ?? "")
    }
}
