import GRDB

extension KlineWarehouse {
    /// Runs `body` in a read-only snapshot of the warehouse, for SQL that belongs in its caller
    /// (e.g. a DAG task's own query). Writes go through the warehouse's typed methods.
    ///
    /// ```swift
    /// let pairs = try warehouse.read { db in try String.fetchAll(db, sql: "SELECT binance_pair FROM symbol") }
    /// ```
    public func read<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.read(body)
    }
}
