/// The outcome of importing one archive file into the warehouse.
public struct ArchiveLoad: Sendable, Equatable {
    /// The file name, e.g. `BTCUSDT-1m-2024-01.zip`.
    public var name: String
    /// The pair from the file name, e.g. `BTCUSDT`.
    public var symbol: String
    /// The interval from the file name.
    public var interval: KlineInterval
    /// Rows written (0 when skipped): distinct bars, repeats not counted.
    public var rows: Int
    /// Rows that repeated the row before them exactly, so were stored once (0 when skipped).
    public var duplicates: Int = 0
    /// sha256 of the file's bytes (lowercase hex).
    public var sha256: String
    /// True when the ledger already held this file with the same sha256, so nothing was done.
    public var skipped: Bool
    /// True when a zip's CHECKSUM file was present and matched.
    public var checksumVerified: Bool
}
