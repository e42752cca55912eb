import GRDBSQLite

/// A warehouse column meant to hold a ``FixedDecimal`` holds something else: neither an
/// INTEGER nor a 16-byte BLOB (the database was edited by hand or is damaged).
public struct FixedDecimalColumnError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The result column's name, e.g. `quote_volume`.
    public var column: String
    /// SQLite's storage class code of the value found (`SQLITE_NULL`, `SQLITE_TEXT`, …).
    public var storageClass: Int32
    /// The value's size in bytes as SQLite reports it (meaningful for a BLOB or TEXT).
    public var byteCount: Int

    public var description: String {
        let kind =
            switch storageClass {
            case SQLITE_NULL: "NULL"
            case SQLITE_FLOAT: "a REAL"
            case SQLITE_TEXT: "TEXT"
            case SQLITE_BLOB: "a BLOB of \(byteCount) bytes"
            default: "a value of storage class \(storageClass)"
            }
        return "column \(column) holds \(kind), "
            + "expected an INTEGER or a 16-byte BLOB of FixedDecimal units"
    }
}
