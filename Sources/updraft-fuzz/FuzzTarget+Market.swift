import MarketData

extension FuzzTarget {
    /// The CSV as a whole file, as a day of 1m rows, as a month of 1h rows in small chunks, and
    /// as monthly bars (each must open on the 1st).
    static func klineCSV(_ bytes: [UInt8]) {
        let cases: [(KlinePeriod?, KlineInterval?, Int)] = [
            (nil, nil, .max), (.day(year: 2024, month: 9, day: 21), .oneMinute, .max),
            (.month(year: 2024, month: 8), .oneHour, 7), (nil, .oneMonth, .max),
        ]
        for (period, interval, chunkRows) in cases {
            do {
                var rows = 0
                try KlineCSV.parse(
                    bytes, source: "BTCUSDT-1m-2024-09-21.csv", period: period, interval: interval, chunkRows: chunkRows
                ) { rows += $0.count }
            } catch {
                describe(error)
            }
        }
    }

    /// The archive's members, each extracted (CRC-32 checked) as the importer does.
    static func zip(_ bytes: [UInt8]) {
        do {
            for entry in try ZipArchive.entries(of: bytes, source: "BTCUSDT-1m-2020-01-01.zip").prefix(8) {
                do { _ = try ZipArchive.extract(entry, from: bytes) } catch { describe(error) }
            }
        } catch {
            describe(error)
        }
    }

    /// The checksum file parsed, then checked against an empty archive as the downloader does.
    static func checksum(_ bytes: [UInt8]) {
        let name = "BTCUSDT-1m-2020-01-01.zip"
        do { _ = try ArchiveChecksum.parse(bytes, name: name) } catch { describe(error) }
        do { try ArchiveChecksum.verify(zip: [], checksumFile: bytes, name: "data/spot/" + name) } catch { describe(error) }
    }
}
