import Testing

@testable import MarketData

@Suite struct CodecFileNameTests {
    @Test func parsesMonthlyName() throws {
        let name = try KlineFileName(parsing: "BTCUSDT-1m-2024-01.zip")
        #expect(name.symbol == "BTCUSDT")
        #expect(name.interval == .oneMinute)
        #expect(name.period == .month(year: 2024, month: 1))
        #expect(!name.isDaily)
        #expect(name.csvName == "BTCUSDT-1m-2024-01.csv")
        #expect(name.spotDirectory == "data/spot/monthly/klines/BTCUSDT/1m/")
        #expect(name.period.start == 1_704_067_200_000_000)
        #expect(name.period.end == 1_706_745_600_000_000)
    }

    @Test func parsesDailyNamePathsAndOtherExtensions() throws {
        let name = try KlineFileName(parsing: "/tmp/x/BTCUSDT-1m-2024-01-15.zip")
        #expect(name.period == .day(year: 2024, month: 1, day: 15))
        #expect(name.zipName == "BTCUSDT-1m-2024-01-15.zip")
        #expect(name.period.end - name.period.start == 86_400_000_000)
        #expect(try KlineFileName(parsing: "BTCUSDT-1h-2024-08.csv").interval == .oneHour)
        #expect(try KlineFileName(parsing: "ETHUSDT-1mo-2023-12.zip.CHECKSUM").interval == .oneMonth)
        let leap = try KlineFileName(parsing: "BTCUSDT-1d-2024-02-29.zip")
        #expect(leap.period.start == 1_709_164_800_000_000)
    }

    @Test(arguments: [
        "BTCUSDT-1m-2024-13.zip", "BTCUSDT-2m-2024-01.zip", "btcusdt-1m-2024-01.zip",
        "BTCUSDT-1m-2023-02-29.zip", "BTCUSDT-1m-24-01.zip", "BTCUSDT.zip", "BTCUSDT-1m-2024-01-1.zip",
    ])
    func rejectsBadNames(text: String) {
        #expect(throws: KlineFileNameError.self) { try KlineFileName(parsing: text) }
    }

    @Test func calendarRoundTripsAcrossCenturies() {
        for days in stride(from: Int64(-800_000), through: 800_000, by: 997) {
            let (y, m, d) = UTCCalendar.civil(fromDays: days)
            #expect(UTCCalendar.days(year: y, month: m, day: d) == days)
        }
        #expect(UTCCalendar.iso8601(microseconds: 1_778_198_400_000_000) == "2026-05-08T00:00:00Z")
        #expect(UTCCalendar.iso8601(microseconds: 1_577_836_859_999_000) == "2020-01-01T00:00:59.999000Z")
    }

    @Test func monthIntervalSteps() {
        let jan31 = UTCCalendar.microseconds(year: 2024, month: 1, day: 1)
        #expect(KlineInterval.oneMonth.nextOpenTime(after: jan31) == UTCCalendar.microseconds(year: 2024, month: 2, day: 1))
        #expect(KlineInterval.oneHour.nextOpenTime(after: 0) == 3_600_000_000)
        #expect(KlineInterval(name: "1M") == .oneMonth)
    }
}
