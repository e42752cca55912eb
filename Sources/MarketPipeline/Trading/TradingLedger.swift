import Foundation
import GRDB
import MarketData

/// The `trading` DAG's ledger in `market.db` (``MarketDatabase`` owns the migration): orders,
/// fills, positions with the book kept between runs, and equity at each bar's close, per mode
/// and symbol. Times are µs.
public final class TradingLedger: Sendable {
    public let database: MarketDatabase

    public init(database: MarketDatabase) { self.database = database }

    /// An order: decided at a bar's close, sent (or simulated), and what became of it.
    public struct Order: Sendable, Hashable, Codable {
        public var mode: TradingMode
        public var symbol: String
        /// Open time (µs) of the bar whose close decided it.
        public var decidedAt: Int64
        /// The order's id on the exchange's side (`newClientOrderId`), derived from symbol and bar.
        public var clientOrderId: String
        public var side: PaperFill.Side
        public var reason: PaperFill.Reason
        /// `filled`, `rejected`, `sending` or `unknown`.
        public var status: String
        public var exchangeOrderId: Int64?
        public var message: String?

        public init(
            mode: TradingMode, symbol: String, decidedAt: Int64, clientOrderId: String, side: PaperFill.Side, reason: PaperFill.Reason,
            status: String, exchangeOrderId: Int64? = nil, message: String? = nil
        ) {
            self.mode = mode; self.symbol = symbol; self.decidedAt = decidedAt; self.clientOrderId = clientOrderId; self.side = side
            self.reason = reason; self.status = status; self.exchangeOrderId = exchangeOrderId; self.message = message
        }
    }

    /// A fill; `fee` in the quote asset.
    public struct Fill: Sendable, Hashable, Codable {
        public var mode: TradingMode
        public var symbol: String
        public var clientOrderId: String
        /// µs: the open the paper rule filled at, or the exchange's transaction time.
        public var time: Int64
        public var side: PaperFill.Side
        public var quantity: Double
        public var price: Double
        public var fee: Double
        public var reason: PaperFill.Reason

        public init(
            mode: TradingMode, symbol: String, clientOrderId: String, time: Int64, side: PaperFill.Side, quantity: Double, price: Double,
            fee: Double, reason: PaperFill.Reason
        ) {
            self.mode = mode; self.symbol = symbol; self.clientOrderId = clientOrderId; self.time = time; self.side = side
            self.quantity = quantity; self.price = price; self.fee = fee; self.reason = reason
        }
    }

    /// A bar's close as the ledger keeps it.
    public struct Equity: Sendable, Hashable, Codable {
        /// µs.
        public var openTime: Int64
        public var close: Double
        public var cash: Double
        public var quantity: Double
        public var equity: Double

        public init(openTime: Int64, close: Double, cash: Double, quantity: Double, equity: Double) {
            self.openTime = openTime; self.close = close; self.cash = cash; self.quantity = quantity; self.equity = equity
        }
    }

    /// `newClientOrderId` for the order `symbol`'s bar at `decidedAt` (ms) decided: at most 36
    /// characters of Binance's allowed set, the same on every re-run.
    public static func clientOrderId(symbol: String, decidedAt: Int64) -> String {
        let id = "ud-\(symbol)-\(String(decidedAt, radix: 36))"
        guard id.count > 36 else { return id }
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in symbol.utf8 { hash = (hash ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return "ud-\(String(hash, radix: 36))-\(String(decidedAt, radix: 36))"
    }

    /// The book of `symbol` in `mode`, if it ever traded.
    public func book(mode: TradingMode, symbol: String) throws -> PaperBook? {
        try database.writer.read { db in
            guard
                let text = try String.fetchOne(
                    db, sql: "SELECT book FROM trading_positions WHERE mode = ? AND symbol = ?", arguments: [mode.rawValue, symbol])
            else { return nil }
            do { return try JSONDecoder().decode(PaperBook.self, from: Data(text.utf8)) } catch {
                throw TradingLedgerError("trading_positions row (\(mode.rawValue), \(symbol)) holds an unreadable book: \(error)")
            }
        }
    }

    /// The order with `clientOrderId` in `mode`, if any.
    public func order(mode: TradingMode, clientOrderId: String) throws -> Order? {
        try database.writer.read { db in
            try Row.fetchOne(
                db, sql: "SELECT * FROM trading_orders WHERE mode = ? AND client_order_id = ?", arguments: [mode.rawValue, clientOrderId]
            ).map(Self.order)
        }
    }

    /// Writes `order` (new, or its new status), in its own transaction: before an order is sent.
    public func save(_ order: Order) throws {
        try database.writer.write { db in try Self.upsert(order, db) }
    }

    /// Writes a step of `symbol`'s trading in one transaction: orders, fills (already stored
    /// ones ignored), equity points, and the book with the position it holds.
    public func commit(
        mode: TradingMode, symbol: String, book: PaperBook, orders: [Order], fills: [Fill], equity: [Equity], now: Date = Date()
    ) throws {
        let text = String(decoding: try JSONEncoder().encode(book), as: UTF8.self)
        try database.writer.write { db in
            for order in orders { try Self.upsert(order, db) }
            for f in fills {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO trading_fills (mode, symbol, client_order_id, time, side, quantity, price, fee, reason)
                        VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                        """,
                    arguments: [
                        mode.rawValue, symbol, f.clientOrderId, f.time, f.side.rawValue, f.quantity, f.price, f.fee, f.reason.rawValue,
                    ])
            }
            for e in equity {
                try db.execute(
                    sql: """
                        INSERT OR IGNORE INTO trading_equity (mode, symbol, open_time, close, cash, quantity, equity)
                        VALUES (?, ?, ?, ?, ?, ?, ?)
                        """, arguments: [mode.rawValue, symbol, e.openTime, e.close, e.cash, e.quantity, e.equity])
            }
            try db.execute(
                sql: """
                    INSERT OR REPLACE INTO trading_positions
                        (mode, symbol, starting_cash, cash, quantity, entry_price, last_open_time, book, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """,
                arguments: [
                    mode.rawValue, symbol, book.startingCash, book.cash, book.quantity, book.entryPrice,
                    book.lastOpenTime.map { $0 * 1_000 }, text, now.micros,
                ])
        }
    }

    /// Orders of `mode`, newest first, optionally of one symbol.
    public func orders(mode: TradingMode, symbol: String? = nil, limit: Int = 1_000) throws -> [Order] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: """
                    SELECT * FROM trading_orders WHERE mode = ?1 AND (?2 IS NULL OR symbol = ?2)
                    ORDER BY decided_at DESC, symbol LIMIT ?3
                    """, arguments: [mode.rawValue, symbol, limit]
            ).map(Self.order)
        }
    }

    /// Fills of `mode`, oldest first, optionally of one symbol.
    public func fills(mode: TradingMode, symbol: String? = nil) throws -> [Fill] {
        try database.writer.read { db in
            try Row.fetchAll(
                db,
                sql: "SELECT * FROM trading_fills WHERE mode = ?1 AND (?2 IS NULL OR symbol = ?2) ORDER BY time, symbol",
                arguments: [mode.rawValue, symbol]
            ).map { row in
                Fill(
                    mode: mode, symbol: row["symbol"], clientOrderId: row["client_order_id"], time: row["time"],
                    side: PaperFill.Side(rawValue: row["side"]) ?? .buy, quantity: row["quantity"], price: row["price"], fee: row["fee"],
                    reason: PaperFill.Reason(rawValue: row["reason"]) ?? .signal)
            }
        }
    }

    /// Equity at each close of `symbol` in `mode`, oldest first.
    public func equity(mode: TradingMode, symbol: String) throws -> [Equity] {
        try database.writer.read { db in
            try Row.fetchAll(
                db, sql: "SELECT * FROM trading_equity WHERE mode = ? AND symbol = ? ORDER BY open_time",
                arguments: [mode.rawValue, symbol]
            ).map {
                Equity(openTime: $0["open_time"], close: $0["close"], cash: $0["cash"], quantity: $0["quantity"], equity: $0["equity"])
            }
        }
    }

    /// The symbols with a book in `mode`, by name.
    public func symbols(mode: TradingMode) throws -> [String] {
        try database.writer.read { db in
            try String.fetchAll(db, sql: "SELECT symbol FROM trading_positions WHERE mode = ? ORDER BY symbol", arguments: [mode.rawValue])
        }
    }

    private static func upsert(_ order: Order, _ db: Database) throws {
        let now = Date().micros
        try db.execute(
            sql: """
                INSERT INTO trading_orders (mode, symbol, decided_at, client_order_id, side, reason, status, exchange_order_id, message,
                    created_at, updated_at)
                VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                ON CONFLICT (mode, symbol, decided_at) DO UPDATE SET status = excluded.status,
                    exchange_order_id = excluded.exchange_order_id, message = excluded.message, updated_at = excluded.updated_at
                """,
            arguments: [
                order.mode.rawValue, order.symbol, order.decidedAt, order.clientOrderId, order.side.rawValue, order.reason.rawValue,
                order.status, order.exchangeOrderId, order.message, now, now,
            ])
    }

    private static func order(_ row: Row) -> Order {
        Order(
            mode: TradingMode(rawValue: row["mode"]) ?? .paper, symbol: row["symbol"], decidedAt: row["decided_at"],
            clientOrderId: row["client_order_id"], side: PaperFill.Side(rawValue: row["side"]) ?? .buy,
            reason: PaperFill.Reason(rawValue: row["reason"]) ?? .signal, status: row["status"], exchangeOrderId: row["exchange_order_id"],
            message: row["message"])
    }
}

/// The ledger holds something it cannot read.
public struct TradingLedgerError: Error, Sendable, CustomStringConvertible {
    public var description: String
    init(_ description: String) { self.description = description }
}
