import GRDB
import GRDBSQLite

/// How a ``FixedDecimal`` lives in an SQLite column declared `INTEGER`, with no schema change.
///
/// Units that fit an `Int64` (every price, nearly every volume) are bound as an INTEGER, the
/// same bytes as before `FixedDecimal` was widened. Larger units are bound as a 16-byte BLOB,
/// the `Int128` in big-endian order: SQLite never converts a BLOB under INTEGER affinity, so it
/// reads back exactly. Every read of these columns goes through ``init(column:at:)``.
extension FixedDecimal {
    /// Bytes in the BLOB form: one big-endian `Int128`.
    static let blobByteCount: Int32 = 16

    /// Binds the value to parameter `index` (1-based) of `statement`; returns SQLite's result code.
    @discardableResult
    @inline(__always)
    func bind(to statement: OpaquePointer, at index: Int32) -> Int32 {
        if let narrow = int64Units { return sqlite3_bind_int64(statement, index, narrow) }
        let bigEndian = units.bigEndian
        return withUnsafeBytes(of: bigEndian) { raw in
            sqlite3_bind_blob(
                statement, index, raw.baseAddress, Self.blobByteCount,
                unsafeBitCast(-1, to: sqlite3_destructor_type.self))
        }
    }

    /// Reads the value in result column `index` (0-based) of the current row of `statement`:
    /// an INTEGER as units, a 16-byte BLOB as a big-endian `Int128`.
    ///
    /// Throws ``FixedDecimalColumnError`` for anything else (NULL, text, a BLOB of another size).
    @inline(__always)
    init(column statement: OpaquePointer, at index: Int32) throws(FixedDecimalColumnError) {
        let type = sqlite3_column_type(statement, index)
        if type == SQLITE_INTEGER {
            self.init(units: sqlite3_column_int64(statement, index))
            return
        }
        let bytes = sqlite3_column_bytes(statement, index)
        guard type == SQLITE_BLOB, bytes == Self.blobByteCount, let blob = sqlite3_column_blob(statement, index) else {
            throw FixedDecimalColumnError(
                column: String(cString: sqlite3_column_name(statement, index)),
                storageClass: type, byteCount: Int(bytes))
        }
        var bigEndian: Int128 = 0
        withUnsafeMutableBytes(of: &bigEndian) { $0.copyMemory(from: UnsafeRawBufferPointer(start: blob, count: 16)) }
        self.init(units: Int128(bigEndian: bigEndian))
    }
}
