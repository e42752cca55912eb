import Foundation
import Testing
import UpdraftCore

@Suite("Schedule")
struct ScheduleTests {
    @Test(
        "parsing",
        arguments: [
            (nil, "none"), ("", "none"), ("none", "none"), ("None", "none"), ("@once", "@once"),
            ("@daily", "@daily"), ("  */5 * * * *  ", "*/5 * * * *"),
        ] as [(String?, String)])
    func parsing(text: String?, description: String) throws {
        #expect(try Schedule(text).description == description)
    }

    @Test("presets become cron schedules")
    func presetsAreCron() throws {
        #expect(try Schedule("@once") == .once)
        #expect(try Schedule(nil) == Schedule.none)
        #expect(try Schedule("@daily") == .cron(CronExpression("0 0 * * *")))
        #expect(try Schedule("@hourly") == .cron(CronExpression("0 * * * *")))
    }

    @Test("bad schedule text is rejected with the expression named")
    func badSchedule() {
        #expect(
            throws: ScheduleError(
                expression: "0 25 * * *", field: "hour",
                reason: "hour 25 is out of range 0–23")
        ) {
            try Schedule("0 25 * * *")
        }
    }

    // MARK: Scheduled runs (Airflow 2 CronDataIntervalTimetable)

    struct Case: Sendable, CustomTestStringConvertible {
        var name: String
        var schedule: String
        var start: String
        var catchup: Bool
        var last: (String, String)?
        var now: String
        var expected: (String, String)?
        var due: String?
        var testDescription: String { name }
    }

    static let cases: [Case] = [
        Case(
            name: "catchup: first run is the first interval after the start date", schedule: "@daily",
            start: "2024-01-01T00:00", catchup: true, last: nil, now: "2024-01-03T12:00",
            expected: ("2024-01-01T00:00", "2024-01-02T00:00"), due: "2024-01-02T00:00"),
        Case(
            name: "catchup: runs follow each other", schedule: "@daily",
            start: "2024-01-01T00:00", catchup: true, last: ("2024-01-01T00:00", "2024-01-02T00:00"),
            now: "2024-01-03T12:00", expected: ("2024-01-02T00:00", "2024-01-03T00:00"), due: "2024-01-03T00:00"),
        Case(
            name: "catchup: nothing due before the interval ends", schedule: "@daily",
            start: "2024-01-01T00:00", catchup: true, last: ("2024-01-02T00:00", "2024-01-03T00:00"),
            now: "2024-01-03T12:00", expected: nil, due: "2024-01-04T00:00"),
        Case(
            name: "due exactly at the interval end", schedule: "@hourly",
            start: "2024-01-01T00:00", catchup: true, last: ("2024-01-01T00:00", "2024-01-01T01:00"),
            now: "2024-01-01T02:00", expected: ("2024-01-01T01:00", "2024-01-01T02:00"), due: "2024-01-01T02:00"),
        Case(
            name: "an unaligned start date waits for the next fire time", schedule: "@daily",
            start: "2024-01-01T05:00", catchup: true, last: nil, now: "2024-01-05T00:00",
            expected: ("2024-01-02T00:00", "2024-01-03T00:00"), due: "2024-01-03T00:00"),
        Case(
            name: "no catchup: only the latest complete interval", schedule: "@daily",
            start: "2024-01-01T00:00", catchup: false, last: nil, now: "2024-01-10T05:00",
            expected: ("2024-01-09T00:00", "2024-01-10T00:00"), due: "2024-01-10T00:00"),
        Case(
            name: "no catchup: skips missed intervals after the last run", schedule: "@daily",
            start: "2024-01-01T00:00", catchup: false, last: ("2024-01-01T00:00", "2024-01-02T00:00"),
            now: "2024-01-10T05:00", expected: ("2024-01-09T00:00", "2024-01-10T00:00"), due: "2024-01-10T00:00"),
        Case(
            name: "no catchup: never an interval before the start date", schedule: "@daily",
            start: "2024-01-09T00:00", catchup: false, last: nil, now: "2024-01-09T12:00",
            expected: nil, due: "2024-01-10T00:00"),
        Case(
            name: "no catchup: a start date in the future", schedule: "0 6 * * *",
            start: "2024-02-01T00:00", catchup: false, last: nil, now: "2024-01-10T00:00",
            expected: nil, due: "2024-02-02T06:00"),
        Case(
            name: "no catchup: the latest interval already ran", schedule: "@daily",
            start: "2024-01-01T00:00", catchup: false, last: ("2024-01-09T00:00", "2024-01-10T00:00"),
            now: "2024-01-10T05:00", expected: nil, due: "2024-01-11T00:00"),
        Case(
            name: "a changed schedule realigns to the previous fire time", schedule: "0 */6 * * *",
            start: "2024-01-01T00:00", catchup: true, last: ("2024-01-01T00:00", "2024-01-01T05:00"),
            now: "2024-01-02T00:00", expected: ("2024-01-01T00:00", "2024-01-01T06:00"), due: "2024-01-01T06:00"),
        Case(
            name: "monthly over a leap February", schedule: "@monthly",
            start: "2024-01-01T00:00", catchup: true, last: ("2024-01-01T00:00", "2024-02-01T00:00"),
            now: "2024-03-05T00:00", expected: ("2024-02-01T00:00", "2024-03-01T00:00"), due: "2024-03-01T00:00"),
        Case(
            name: "@once runs once at the start date", schedule: "@once",
            start: "2024-01-01T08:00", catchup: false, last: nil, now: "2024-01-02T00:00",
            expected: ("2024-01-01T08:00", "2024-01-01T08:00"), due: "2024-01-01T08:00"),
        Case(
            name: "@once waits for its start date", schedule: "@once",
            start: "2024-01-05T00:00", catchup: true, last: nil, now: "2024-01-02T00:00",
            expected: nil, due: "2024-01-05T00:00"),
        Case(
            name: "@once never runs twice", schedule: "@once",
            start: "2024-01-01T08:00", catchup: true, last: ("2024-01-01T08:00", "2024-01-01T08:00"),
            now: "2024-06-01T00:00", expected: nil, due: nil),
        Case(
            name: "no schedule never runs by itself", schedule: "none",
            start: "2024-01-01T00:00", catchup: true, last: nil, now: "2024-06-01T00:00",
            expected: nil, due: nil),
    ]

    @Test("next data interval and due date", arguments: cases)
    func nextDataInterval(_ c: Case) throws {
        let schedule = try Schedule(c.schedule)
        let last = c.last.map { DataInterval(start: utc($0.0), end: utc($0.1)) }
        let next = schedule.nextDataInterval(after: last, startDate: utc(c.start), catchup: c.catchup, now: utc(c.now))
        #expect(next == c.expected.map { DataInterval(start: utc($0.0), end: utc($0.1)) })
        let due = schedule.nextDueDate(after: last, startDate: utc(c.start), catchup: c.catchup, now: utc(c.now))
        #expect(due == c.due.map(utc))
    }

    @Test("catchup walks every interval in order and then stops")
    func catchupWalk() throws {
        let schedule = try Schedule("0 */8 * * *")
        var last: DataInterval?
        var starts: [Date] = []
        while let next = schedule.nextDataInterval(
            after: last, startDate: utc("2024-02-28T00:00"),
            catchup: true, now: utc("2024-03-01T09:00"))
        {
            starts.append(next.start)
            last = next
        }
        let expected = stride(from: 0, to: 7, by: 1).map { utc("2024-02-28T00:00").addingTimeInterval(Double($0) * 8 * 3600) }
        #expect(starts == expected)
        #expect(last == DataInterval(start: utc("2024-03-01T00:00"), end: utc("2024-03-01T08:00")))
    }

    // MARK: Backfill and manual runs

    @Test(
        "backfill intervals",
        arguments: [
            (
                "@daily", "2024-01-01T00:00", "2024-01-05T00:00",
                [
                    "2024-01-01T00:00", "2024-01-02T00:00",
                    "2024-01-03T00:00", "2024-01-04T00:00", "2024-01-05T00:00",
                ]
            ),
            ("@daily", "2024-01-01T06:00", "2024-01-03T23:59", ["2024-01-02T00:00", "2024-01-03T00:00"]),
            (
                "@weekly", "2024-01-01T00:00", "2024-01-31T00:00",
                [
                    "2024-01-07T00:00", "2024-01-14T00:00",
                    "2024-01-21T00:00", "2024-01-28T00:00",
                ]
            ),
            (
                "@monthly", "2023-12-15T00:00", "2024-03-01T00:00",
                [
                    "2024-01-01T00:00", "2024-02-01T00:00",
                    "2024-03-01T00:00",
                ]
            ),
            ("@daily", "2024-01-05T00:00", "2024-01-01T00:00", []),
            ("@once", "2024-01-05T00:00", "2024-01-09T00:00", ["2024-01-05T00:00"]),
            ("none", "2024-01-05T00:00", "2024-01-09T00:00", []),
        ])
    func backfill(schedule: String, from: String, to: String, starts: [String]) throws {
        let intervals = try Schedule(schedule).dataIntervals(from: utc(from), to: utc(to))
        #expect(intervals.map(\.start) == starts.map(utc))
        for (interval, following) in zip(intervals, intervals.dropFirst()) {
            #expect(interval.end == following.start)
        }
    }

    @Test(
        "manual trigger with a logical date",
        arguments: [
            ("@daily", "2024-01-25T01:00", "2024-01-24T00:00", "2024-01-25T00:00"),
            ("@daily", "2024-01-25T00:00", "2024-01-24T00:00", "2024-01-25T00:00"),
            ("@hourly", "2024-03-01T00:30", "2024-02-29T23:00", "2024-03-01T00:00"),
            ("@once", "2024-01-25T01:00", "2024-01-25T01:00", "2024-01-25T01:00"),
            ("none", "2024-01-25T01:00", "2024-01-25T01:00", "2024-01-25T01:00"),
        ])
    func manual(schedule: String, logicalDate: String, start: String, end: String) throws {
        let interval = try Schedule(schedule).dataInterval(forLogicalDate: utc(logicalDate))
        #expect(interval == DataInterval(start: utc(start), end: utc(end)))
    }

    @Test("data intervals print in ISO-8601 UTC")
    func intervalDescription() {
        let interval = DataInterval(start: utc("2024-02-29T00:00"), end: utc("2024-03-01T00:00"))
        #expect(interval.description == "[2024-02-29T00:00:00Z, 2024-03-01T00:00:00Z)")
    }
}
