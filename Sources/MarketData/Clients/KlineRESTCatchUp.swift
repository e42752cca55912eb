import Foundation
import GRDB

/// Brings a symbol up to the last closed bar through the REST API: what the `incremental` task
/// runs. Starts after the newest stored bar (or at `defaultStart` for a new symbol), fetches 1,000
/// bars a request and stores each page in its own transaction, so an interrupted run keeps what it got.
///
/// ```swift
/// let catchUp = KlineRESTCatchUp(binance: binance, warehouse: warehouse)
/// let rows = try await catchUp.run(symbol: "BTCUSDT", interval: .oneMinute, defaultStart: start, until: Date())
/// ```
public struct KlineRESTCatchUp: Sendable {
    /// Where bars come from.
    public let binance: BinanceRESTClient
    /// Where rows go.
    public let warehouse: KlineWarehouse

    /// A catch-up from `binance` into `warehouse`.
    public init(binance: BinanceRESTClient, warehouse: KlineWarehouse) {
        self.binance = binance
        self.warehouse = warehouse
    }

    /// Fetches and stores closed bars after the newest stored one up to `until`; returns rows written.
    public func run(symbol: String, interval: KlineInterval, defaultStart: Date, until end: Date) async throws -> Int {
        let last = try newestOpenTime(symbol: symbol, interval: interval)
        let start = last.map { Date(timeIntervalSince1970: Double(interval.nextOpenTime(after: $0)) / 1_000_000) } ?? defaultStart
        guard start < end else { return 0 }
        let warehouse = self.warehouse
        let written = RowCount()
        try await binance.pages(symbol: symbol, start: start, end: end, interval: interval) { page in
            await written.add(try warehouse.insert(page, symbol: symbol, interval: interval))
        }
        return await written.value
    }
}

extension KlineRESTCatchUp {
    /// The newest stored open time (µs) of a symbol, read through the (symbol, open_time) key.
    func newestOpenTime(symbol: String, interval: KlineInterval) throws -> Int64? {
        try warehouse.writer.read { db in
            try Int64.fetchOne(
                db, sql: "SELECT MAX(open_time) FROM \(interval.tableName) WHERE exchange = 'binance' AND symbol = ?", arguments: [symbol])
        }
    }
}

/// Rows written across pages.
private actor RowCount {
    var value = 0
    func add(_ rows: Int) { value += rows }
}
