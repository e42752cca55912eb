import Foundation
import Testing
import UpdraftCore

@Suite("CronExpression")
struct CronExpressionTests {
    @Test(
        "next fire time",
        arguments: [
            // (expression, after, expected next)
            ("* * * * *", "2024-01-01T10:00", "2024-01-01T10:01"),
            ("* * * * *", "2024-01-01T10:00:30", "2024-01-01T10:01"),
            ("*/15 * * * *", "2024-01-01T00:07:30", "2024-01-01T00:15"),
            ("*/15 * * * *", "2024-01-01T23:45", "2024-01-02T00:00"),
            ("1-10/3 * * * *", "2024-01-01T00:05", "2024-01-01T00:07"),
            ("5/20 * * * *", "2024-01-01T00:26", "2024-01-01T00:45"),
            ("0,30 8,20 * * *", "2024-01-01T08:30", "2024-01-01T20:00"),
            ("0 0 * * *", "2024-02-28T12:00", "2024-02-29T00:00"),
            ("0 0 31 * *", "2024-04-01T00:00", "2024-05-31T00:00"),
            ("0 0 31 * *", "2024-01-31T00:00", "2024-03-31T00:00"),
            ("0 0 30 * *", "2024-01-30T00:00", "2024-03-30T00:00"),
            ("0 0 29 2 *", "2024-03-01T00:00", "2028-02-29T00:00"),
            ("0 0 29 2 *", "2096-03-01T00:00", "2104-02-29T00:00"),
            ("0 0 1 1 *", "2024-12-31T23:59", "2025-01-01T00:00"),
            ("59 23 31 12 *", "2024-12-31T23:59", "2025-12-31T23:59"),
            ("0 9 * * MON-FRI", "2024-01-06T10:00", "2024-01-08T09:00"),
            ("0 9 * * mon-fri", "2024-01-05T09:00", "2024-01-08T09:00"),
            ("0 0 * JAN,jul *", "2024-02-01T00:00", "2024-07-01T00:00"),
            ("0 0 * * 7", "2024-01-01T00:00", "2024-01-07T00:00"),
            ("0 0 * * 0", "2024-01-01T00:00", "2024-01-07T00:00"),
            ("0 0 * * SUN", "2024-01-01T00:00", "2024-01-07T00:00"),
            ("0 0 * * 5-7", "2024-01-01T00:00", "2024-01-05T00:00"),
            ("0 0 * * FRI-SUN", "2024-01-06T00:00", "2024-01-07T00:00"),
            ("0 0 13 * FRI", "2024-01-01T00:00", "2024-01-05T00:00"),
            ("0 0 13 * FRI", "2024-01-12T00:00", "2024-01-13T00:00"),
            ("0 0 */2 * *", "2024-01-31T00:00", "2024-02-01T00:00"),
            ("0 12 * FEB-APR/2 *", "2024-02-29T12:00", "2024-04-01T12:00"),
            ("30 2 1 */3 *", "2024-01-01T02:30", "2024-04-01T02:30"),
            ("@hourly", "2024-01-01T10:00", "2024-01-01T11:00"),
            ("@weekly", "2024-01-01T00:00", "2024-01-07T00:00"),
            ("@monthly", "2024-01-15T00:00", "2024-02-01T00:00"),
            ("@yearly", "2024-01-01T00:00", "2025-01-01T00:00"),
            ("0 0 1 1 *", "1969-06-01T00:00", "1970-01-01T00:00"),
            ("0 0 29 2 *", "1896-03-01T00:00", "1904-02-29T00:00"),
        ])
    func next(expression: String, after: String, expected: String) throws {
        let cron = try CronExpression(expression)
        #expect(cron.next(after: utc(after)) == utc(expected))
    }

    @Test(
        "previous fire time",
        arguments: [
            ("* * * * *", "2024-01-01T10:00", "2024-01-01T09:59"),
            ("* * * * *", "2024-01-01T10:00:30", "2024-01-01T10:00"),
            ("*/15 * * * *", "2024-01-02T00:00", "2024-01-01T23:45"),
            ("0 0 31 * *", "2024-05-01T00:00", "2024-03-31T00:00"),
            ("0 0 29 2 *", "2028-02-29T00:00", "2024-02-29T00:00"),
            ("0 0 29 2 *", "2104-01-01T00:00", "2096-02-29T00:00"),
            ("0 0 1 1 *", "2025-01-01T00:00", "2024-01-01T00:00"),
            ("0 0 1 1 *", "2025-01-01T00:00:01", "2025-01-01T00:00"),
            ("0 9 * * MON-FRI", "2024-01-08T09:00", "2024-01-05T09:00"),
            ("0 0 13 * FRI", "2024-01-14T00:00", "2024-01-13T00:00"),
            ("0 0 13 * FRI", "2024-01-13T00:00", "2024-01-12T00:00"),
            ("59 23 * * *", "2024-03-01T00:00", "2024-02-29T23:59"),
            ("0 0 1 1 *", "1970-01-01T00:00", "1969-01-01T00:00"),
        ])
    func previous(expression: String, before: String, expected: String) throws {
        let cron = try CronExpression(expression)
        #expect(cron.previous(before: utc(before)) == utc(expected))
    }

    @Test(
        "next and previous walk the same fire times",
        arguments: [
            "*/7 * * * *", "0 0 29 2 *", "0 0 13 * FRI", "15 3,15 1-7 * MON", "0 0 31 * *", "@quarterly",
        ])
    func symmetry(expression: String) throws {
        let cron = try CronExpression(expression)
        var forward: [Date] = []
        var date = utc("2023-12-31T23:59")
        for _ in 0..<60 {
            date = try #require(cron.next(after: date))
            forward.append(date)
        }
        var backward: [Date] = []
        var back = forward.last!.addingTimeInterval(1)
        for _ in 0..<60 {
            back = try #require(cron.previous(before: back))
            backward.append(back)
        }
        #expect(backward.reversed() == forward)
        #expect(forward.allSatisfy(cron.matches))
    }

    @Test(
        "next agrees with a minute-by-minute Foundation calendar scan",
        arguments: [
            (
                "*/13 */5 * * *",
                ReferenceCron(
                    minutes: Set(stride(from: 0, to: 60, by: 13)),
                    hours: Set(stride(from: 0, to: 24, by: 5)), days: Set(1...31), months: Set(1...12),
                    weekdays: Set(0...6), dayOr: false)
            ),
            (
                "5 4 1,15 * WED",
                ReferenceCron(
                    minutes: [5], hours: [4], days: [1, 15], months: Set(1...12),
                    weekdays: [3], dayOr: true)
            ),
            (
                "0 22 * 2,3 SAT-SUN",
                ReferenceCron(
                    minutes: [0], hours: [22], days: Set(1...31), months: [2, 3],
                    weekdays: [6, 0], dayOr: false)
            ),
            (
                "10 0 */10 * *",
                ReferenceCron(
                    minutes: [10], hours: [0], days: [1, 11, 21, 31], months: Set(1...12),
                    weekdays: Set(0...6), dayOr: false)
            ),
        ])
    func agreesWithReference(expression: String, reference: ReferenceCron) throws {
        let cron = try CronExpression(expression)
        var expected: [Date] = []
        var minute = utc("2024-01-01T00:00")
        let end = utc("2024-03-15T00:00")
        while minute < end {
            if reference.matches(minute) { expected.append(minute) }
            minute.addTimeInterval(60)
        }
        var actual: [Date] = []
        var date = utc("2023-12-31T23:59")
        while let next = cron.next(after: date), next < end {
            actual.append(next)
            date = next
        }
        #expect(!expected.isEmpty)
        #expect(actual == expected)
    }

    @Test(
        "presets equal their expansions",
        arguments: [
            ("@hourly", "0 * * * *"), ("@daily", "0 0 * * *"), ("@midnight", "0 0 * * *"),
            ("@weekly", "0 0 * * 0"), ("@monthly", "0 0 1 * *"), ("@yearly", "0 0 1 1 *"),
            ("@annually", "0 0 1 1 *"), ("@quarterly", "0 0 1 1,4,7,10 *"), ("@DAILY", "0 0 * * *"),
        ])
    func presets(preset: String, expansion: String) throws {
        let cron = try CronExpression(preset)
        #expect(cron == (try CronExpression(expansion)))
        #expect(cron.description == preset)
    }

    @Test(
        "equivalent spellings are equal",
        arguments: [
            ("0 0 * * 7", "0 0 * * SUN"), ("0 0 * * 0-6", "0 0 * * *"), ("0 0 1-31 * *", "0 0 * * *"),
            ("*/20 * * * *", "0,20,40 * * * *"), ("0 0 * Jan-Mar *", "0 0 * 1-3 *"),
        ])
    func spellings(lhs: String, rhs: String) throws {
        #expect(try CronExpression(lhs) == CronExpression(rhs))
    }

    @Test(
        "bad expressions say what is wrong and where",
        arguments: [
            ("61 * * * *", "minute", "cron '61 * * * *': minute 61 is out of range 0–59"),
            ("* 24 * * *", "hour", "cron '* 24 * * *': hour 24 is out of range 0–23"),
            ("* * 0 * *", "day-of-month", "cron '* * 0 * *': day-of-month 0 is out of range 1–31"),
            ("* * * 13 *", "month", "cron '* * * 13 *': month 13 is out of range 1–12"),
            ("* * * * 8", "day-of-week", "cron '* * * * 8': day-of-week 8 is out of range 0–7"),
            ("* * * FOO *", "month", "cron '* * * FOO *': month 'FOO' is not a number or a name (JAN–DEC)"),
            (
                "* * * * FRIDAY", "day-of-week",
                "cron '* * * * FRIDAY': day-of-week 'FRIDAY' is not a number or a name (SUN–SAT)"
            ),
            ("x * * * *", "minute", "cron 'x * * * *': minute 'x' is not a number"),
            ("*/0 * * * *", "minute", "cron '*/0 * * * *': minute step 0 in '*/0' must be at least 1"),
            ("*/a * * * *", "minute", "cron '*/a * * * *': minute step 'a' in '*/a' is not a number"),
            ("10-5 * * * *", "minute", "cron '10-5 * * * *': minute range 10-5 is reversed (10 > 5)"),
            ("0 0 * * 5-1", "day-of-week", "cron '0 0 * * 5-1': day-of-week range 5-1 is reversed (5 > 1)"),
            ("1,,2 * * * *", "minute", "cron '1,,2 * * * *': minute '1,,2' has an empty list item"),
            ("-5 * * * *", "minute", "cron '-5 * * * *': minute '-5' is not a value, range or step"),
            ("0 0 30 2 *", "day-of-month", "cron '0 0 30 2 *': day-of-month 30 never occurs in FEB"),
            ("0 0 31 4,6 *", "day-of-month", "cron '0 0 31 4,6 *': day-of-month 31 never occurs in APR,JUN"),
            (
                "* * *", nil,
                "cron '* * *': expected 5 fields (minute hour day-of-month month day-of-week), found 3"
            ),
            (
                "0 0 * * * *", nil,
                "cron '0 0 * * * *': expected 5 fields (minute hour day-of-month month day-of-week), found 6"
            ),
            ("", nil, "cron '': expected 5 fields (minute hour day-of-month month day-of-week), found 0"),
            (
                "@fortnightly", nil,
                "schedule '@fortnightly': @fortnightly is not a known preset "
                    + "(@annually @daily @hourly @midnight @monthly @quarterly @weekly @yearly)"
            ),
        ] as [(String, String?, String)])
    func badExpressions(expression: String, field: String?, message: String) {
        #expect {
            _ = try CronExpression(expression)
        } throws: { error in
            guard let error = error as? ScheduleError else { return false }
            return error.description == message && error.field == field && error.expression == expression
        }
    }

    @Test("a rare schedule is found without scanning minute by minute")
    func rareScheduleIsFast() throws {
        let cron = try CronExpression("59 23 29 2 *")
        var date = utc("2000-01-01T00:00")
        var count = 0
        while count < 100, let next = cron.next(after: date) {
            date = next
            count += 1
        }
        // 2000…2396 hold 97 leap days (2100, 2200 and 2300 are not leap years); then 2400, 2404, 2408.
        #expect(date == utc("2408-02-29T23:59"))
        #expect(count == 100)
    }
}
