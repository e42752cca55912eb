import Testing

@testable import Indicators

@Suite struct CandleResamplerTests {
    static let minute: Int64 = 60_000_000
    /// 2024-09-21T00:00:00Z in µs.
    static let dayStart: Int64 = 1_726_876_800_000_000

    /// 1-minute bars at the given minute offsets from `dayStart`; bar k has open 100+k,
    /// high 101+k, low 99+k, close 100.5+k and volume k+1.
    static func minutes(_ offsets: [Int]) -> OHLCV {
        OHLCV(
            openTime: offsets.map { dayStart + Int64($0) * minute },
            open: offsets.map { 100 + Double($0) }, high: offsets.map { 101 + Double($0) },
            low: offsets.map { 99 + Double($0) }, close: offsets.map { 100.5 + Double($0) },
            volume: offsets.map { Double($0 + 1) })
    }

    @Test func intervalsParseAndPrint() throws {
        let cases: [(String, Int, String)] = [
            ("5m", 5, "5m"), ("15m", 15, "15m"), ("1h", 60, "1h"), ("4h", 240, "4h"), ("1d", 1_440, "1d"),
            ("90m", 90, "90m"), ("120", 120, "2h"), ("2d", 2_880, "2d"),
        ]
        for (text, minutes, printed) in cases {
            let interval = try BarInterval(text)
            #expect(interval.minutes == minutes)
            #expect(interval.description == printed)
        }
        for bad in ["", "0m", "h", "1w", "-5m", "1.5h", "5 m"] {
            #expect(throws: BarIntervalError(text: bad)) { try BarInterval(bad) }
        }
    }

    @Test func bucketsAlignToUTCAndAggregateOHLCV() throws {
        // 00:03 … 00:44 with 00:20 missing, then 01:10 … 01:12: the hour 00:45–01:09 is empty.
        let offsets = Array(3...19) + Array(21...44) + [70, 71, 72]
        let result = try CandleResampler.resample(Self.minutes(offsets), to: BarInterval("15m"))
        #expect(result.bars.openTime == [0, 15, 30, 60].map { Self.dayStart + Int64($0) * Self.minute })
        #expect(result.sourceCounts == [12, 14, 15, 3])
        #expect(result.isPartial == [true, false, false, true])
        #expect(result.bars.open == [103, 115, 130, 170])
        #expect(result.bars.high == [115, 130, 145, 173])
        #expect(result.bars.low == [102, 114, 129, 169])
        #expect(result.bars.close == [114.5, 129.5, 144.5, 172.5])
        let sums = [Array(3...14), Array(15...19) + Array(21...29), Array(30...44), [70, 71, 72]]
            .map { $0.reduce(0.0) { $0 + Double($1 + 1) } }
        #expect(result.bars.volume == sums)
    }

    @Test func fullBucketsAreNotPartial() throws {
        let result = try CandleResampler.resample(Self.minutes(Array(0..<120)), to: BarInterval("1h"))
        #expect(result.count == 2)
        #expect(result.isPartial == [false, false])
        #expect(result.sourceCounts == [60, 60])
    }

    @Test func realDayResamplesToHoursAndOneDay() throws {
        let table = try GoldenTable.load("BTCUSDT-1m-2024-09-21.talib-c-0.8.1.csv")
        let times = table["open_time"].map { Int64($0) * 1000 }
        let bars = OHLCV(
            openTime: times, open: table["close"], high: table["high"], low: table["low"],
            close: table["close"], volume: table["volume"])
        let hours = try CandleResampler.resample(bars, to: BarInterval("1h"))
        #expect(hours.count == 24)
        #expect(hours.isPartial.allSatisfy { !$0 })
        #expect(hours.sourceCounts.allSatisfy { $0 == 60 })
        for hour in 0..<24 {
            let range = (hour * 60)..<(hour * 60 + 60)
            #expect(hours.bars.openTime[hour] == Self.dayStart + Int64(hour) * 60 * Self.minute)
            #expect(hours.bars.high[hour] == bars.high[range].max())
            #expect(hours.bars.low[hour] == bars.low[range].min())
            #expect(hours.bars.close[hour] == bars.close[range.last!])
        }
        let day = try CandleResampler.resample(bars, to: BarInterval("1d"))
        #expect(day.bars.openTime == [Self.dayStart])
        #expect(day.isPartial == [false])
        #expect(day.bars.high == [bars.high.max()!])
        // A day that starts at 00:07 UTC still buckets at 00:00 and is marked partial.
        let late = try CandleResampler.resample(bars.slice(7..<bars.count), to: BarInterval("1d"))
        #expect(late.bars.openTime == [Self.dayStart])
        #expect(late.isPartial == [true])
        #expect(late.sourceCounts == [1_433])
    }

    @Test func badInputIsRejectedWithTheBarAtFault() throws {
        let shuffled = Self.minutes([0, 1, 3, 2])
        #expect(
            throws: ResamplingError.notIncreasing(
                index: 3, previous: Self.dayStart + 3 * Self.minute,
                time: Self.dayStart + 2 * Self.minute)
        ) {
            try CandleResampler.resample(shuffled, to: BarInterval("5m"))
        }
        #expect(
            throws: ResamplingError.intervalNotMultiple(
                interval: BarInterval(minutes: 7),
                source: BarInterval(minutes: 5))
        ) {
            try CandleResampler.resample(Self.minutes([0]), to: BarInterval(minutes: 7), source: BarInterval(minutes: 5))
        }
        #expect(try CandleResampler.resample(OHLCV(), to: BarInterval("1h")).count == 0)
    }
}
