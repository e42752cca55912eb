import Foundation

/// Loads a symbol's history from the public archive into the warehouse: what the `historical` task
/// runs. Whole months come from monthly files, the remaining days from daily files; only files the
/// bucket listing shows are fetched, each is verified against its `.CHECKSUM` and imported in its
/// own transaction, and files already loaded with the same sha256 are skipped by the warehouse.
///
/// ```swift
/// let backfill = KlineArchiveBackfill(archive: archive, warehouse: warehouse)
/// let report = try await backfill.run(symbol: "BTCUSDT", interval: .oneMinute, from: start, to: end)
/// if !report.failures.isEmpty { throw … }   // each names its file
/// ```
public struct KlineArchiveBackfill: Sendable {
    /// What one backfill did.
    public struct Report: Sendable {
        /// Files imported (or skipped as already loaded), in period order.
        public var loads: [ArchiveLoad] = []
        /// Files that failed to download, verify or import, each naming the file; nothing of them was stored.
        public var failures: [String] = []
        /// Rows written in all.
        public var rows: Int { loads.reduce(0) { $0 + $1.rows } }
    }

    /// Where files come from.
    public let archive: BinanceArchiveClient
    /// Where rows go.
    public let warehouse: KlineWarehouse

    /// A backfill from `archive` into `warehouse`.
    public init(archive: BinanceArchiveClient, warehouse: KlineWarehouse) {
        self.archive = archive
        self.warehouse = warehouse
    }

    /// Loads bars opening in [start, end) that the archive has.
    public func run(symbol: String, interval: KlineInterval, from start: Date, to end: Date) async throws -> Report {
        let plan = try await files(symbol: symbol, interval: interval, from: start, to: end)
        var report = Report()
        for name in plan {
            do {
                let download = try await archive.download(name)
                switch warehouse.importArchives([download.importSource]).first {
                case .success(let load): report.loads.append(load)
                case .failure(let error): report.failures.append(error.description)
                case nil: break
                }
            } catch let error as ArchiveChecksumError {
                report.failures.append(error.description)
            }
        }
        return report
    }

    /// The files covering [start, end): monthly files for months wholly inside it, daily files for
    /// the other days, limited to what the listing shows.
    public func files(symbol: String, interval: KlineInterval, from start: Date, to end: Date) async throws -> [KlineFileName] {
        let startMicros = Int64(start.timeIntervalSince1970 * 1_000_000), endMicros = Int64(end.timeIntervalSince1970 * 1_000_000)
        let monthly = try await archive.files(symbol: symbol, interval: interval, daily: false)
            .map(\.name).filter { $0.period.start >= startMicros && $0.period.end <= endMicros }
        let covered = monthly.map { ($0.period.start, $0.period.end) }
        let daily = try await archive.files(symbol: symbol, interval: interval, daily: true)
            .map(\.name).filter { name in
                name.period.start >= startMicros && name.period.end <= endMicros
                    && !covered.contains { name.period.start >= $0.0 && name.period.end <= $0.1 }
            }
        return (monthly + daily).sorted { $0.period.start < $1.period.start }
    }
}
