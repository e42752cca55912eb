/// The name of a Binance kline archive file: `BTCUSDT-1m-2024-01.zip` (monthly) or
/// `BTCUSDT-1m-2024-01-15.zip` (daily); `.csv` and `.zip.CHECKSUM` names parse too.
///
/// ```swift
/// let name = try KlineFileName(parsing: "BTCUSDT-1m-2024-01-15.zip")
/// name.symbol      // "BTCUSDT"
/// name.interval    // .oneMinute
/// name.period      // .day(year: 2024, month: 1, day: 15)
/// name.zipName     // "BTCUSDT-1m-2024-01-15.zip"
/// ```
public struct KlineFileName: Sendable, Hashable, CustomStringConvertible {
    /// The trading pair in upper case, e.g. `BTCUSDT`.
    public var symbol: String
    /// The kline interval, e.g. `1m`.
    public var interval: KlineInterval
    /// The month or day the file covers.
    public var period: KlinePeriod

    /// A name from its parts.
    public init(symbol: String, interval: KlineInterval, period: KlinePeriod) {
        self.symbol = symbol
        self.interval = interval
        self.period = period
    }

    /// Parses a file name or path (the directory part is ignored).
    public init(parsing text: String) throws(KlineFileNameError) {
        let base = text.split(separator: "/", omittingEmptySubsequences: false).last.map(String.init) ?? text
        var stem = Substring(base)
        for suffix in [".zip.CHECKSUM", ".zip", ".csv"] where stem.hasSuffix(suffix) {
            stem = stem.dropLast(suffix.count)
            break
        }
        let parts = stem.split(separator: "-", omittingEmptySubsequences: false)
        guard parts.count == 4 || parts.count == 5 else { throw KlineFileNameError(name: base) }
        let symbol = String(parts[0])
        guard !symbol.isEmpty, symbol.utf8.allSatisfy({ ($0 >= 65 && $0 <= 90) || ($0 >= 48 && $0 <= 57) }),
            let interval = KlineInterval(rawValue: String(parts[1])),
            parts[2].count == 4, let year = Int(parts[2]),
            parts[3].count == 2, let month = Int(parts[3]), (1...12).contains(month)
        else { throw KlineFileNameError(name: base) }
        if parts.count == 5 {
            guard parts[4].count == 2, let day = Int(parts[4]),
                day >= 1, day <= UTCCalendar.daysIn(year: year, month: month)
            else { throw KlineFileNameError(name: base) }
            self.init(symbol: symbol, interval: interval, period: .day(year: year, month: month, day: day))
        } else {
            self.init(symbol: symbol, interval: interval, period: .month(year: year, month: month))
        }
    }

    /// The name without extension, e.g. `BTCUSDT-1m-2024-01-15`.
    public var stem: String { "\(symbol)-\(interval.rawValue)-\(period)" }
    /// The archive name, e.g. `BTCUSDT-1m-2024-01-15.zip`.
    public var zipName: String { stem + ".zip" }
    /// The CSV member name inside the archive, e.g. `BTCUSDT-1m-2024-01-15.csv`.
    public var csvName: String { stem + ".csv" }
    /// The checksum file name, e.g. `BTCUSDT-1m-2024-01-15.zip.CHECKSUM`.
    public var checksumName: String { zipName + ".CHECKSUM" }
    /// Whether this is a daily file (else monthly).
    public var isDaily: Bool { if case .day = period { true } else { false } }
    /// The archive directory below the base URL, e.g. `data/spot/daily/klines/BTCUSDT/1m/`.
    public var spotDirectory: String {
        "data/spot/\(isDaily ? "daily" : "monthly")/klines/\(symbol)/\(interval.rawValue)/"
    }

    public var description: String { zipName }
}
