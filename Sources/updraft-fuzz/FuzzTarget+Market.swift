import MarketData

extension FuzzTarget {
    /// The CSV as a whole file, as a day of 1m rows, as a month of 1h rows in small chunks, and
    /// as monthly bars (each must open on the 1st).
    static func klineCSV(_ bytes: [UInt8]) {
        inPieces(bytes)
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

    /// The archive's members, each extracted (CRC-32 checked) whole, and again a slice at a time
    /// as the importer reads them: both ways must give the same bytes or the same error.
    static func zip(_ bytes: [UInt8]) {
        do {
            for entry in try ZipArchive.entries(of: bytes, source: "BTCUSDT-1m-2020-01-01.zip").prefix(8) {
                let whole = Result { () throws(ZipError) in try ZipArchive.extract(entry, from: bytes) }
                let sliced = Result { () throws(ZipError) -> [UInt8] in
                    let reader = try ZipMemberReader(entry, in: bytes)
                    while try !reader.advance(by: 1 + bytes.count % 997) {}
                    return reader.bytes()
                }
                switch (whole, sliced) {
                case (.success(let a), .success(let b)): precondition(a == b, "zip: the sliced member differs")
                case (.failure(let a), .failure(let b)):
                    precondition(a == b, "zip: the sliced error differs: \(a) against \(b)")
                    describe(a)
                default: preconditionFailure("zip: whole \(whole) against sliced \(sliced)")
                }
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

    /// The CSV arriving in three pieces (as an archive member inflates) parses to the same rows,
    /// or fails with the same error, as the whole.
    static func inPieces(_ bytes: [UInt8]) {
        let period = KlinePeriod.day(year: 2024, month: 9, day: 21)
        var whole: [Kline] = []
        let expected = Result { () throws(KlineCSVError) -> Int in
            try KlineCSV.parse(bytes, source: "x.csv", period: period, interval: .oneMinute, chunkRows: 3) { whole += $0 }
        }
        var reader = KlineCSVReader(
            source: "x.csv", period: period, interval: .oneMinute, chunkRows: 3, expectedBytes: bytes.count)
        var pieces: [Kline] = []
        let cuts = [bytes.count / 3, bytes.count * 2 / 3]
        let got = bytes.withUnsafeBytes { raw in
            reader.parse(UnsafeRawBufferPointer(rebasing: raw[0..<cuts[0]]), final: false) { pieces += $0 }
                .flatMap { reader.parse(UnsafeRawBufferPointer(rebasing: raw[0..<cuts[1]]), final: false) { pieces += $0 } }
                .flatMap { reader.parse(raw, final: true) { pieces += $0 } }
        }
        switch (expected, got) {
        case (.success(let duplicates), .success):
            precondition(whole == pieces && duplicates == reader.duplicates, "kline-csv: the pieces parse differently")
        case (.failure(let a), .failure(let b)): precondition(a == b, "kline-csv: the pieces fail differently: \(a) against \(b)")
        default: preconditionFailure("kline-csv: whole \(expected) against pieces \(got)")
        }
    }
}
