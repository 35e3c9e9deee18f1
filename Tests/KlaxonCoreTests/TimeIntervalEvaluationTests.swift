import Foundation
import Testing

@testable import KlaxonCore

/// An instant from an ISO 8601 timestamp with an explicit offset ("2026-01-05T09:00:00Z", "...+01:00").
private func instant(_ text: String) throws -> Date {
    try Date.ISO8601FormatStyle().parse(text)
}

private func zone(_ name: String) throws -> TimeZone {
    try #require(TimeZone(identifier: name))
}

private let berlin = "Europe/Berlin"

// MARK: - each field's edges

@Test(arguments: [
    ("2026-01-05T08:59:59Z", false),
    ("2026-01-05T09:00:00Z", true),
    ("2026-01-05T16:59:59.999Z", true),
    ("2026-01-05T17:00:00Z", false),
    ("2026-01-05T17:30:00Z", false),
    ("2026-01-05T20:00:00Z", true),
    ("2026-01-05T20:59:59Z", true),
    ("2026-01-05T21:00:00Z", false),
])
func timesAreHalfOpenAndOred(at text: String, expected: Bool) throws {
    let spec = TimeIntervalSpec(times: [
        TimeRange(startMinute: 9 * 60, endMinute: 17 * 60),
        TimeRange(startMinute: 20 * 60, endMinute: 21 * 60),
    ])
    #expect(spec.contains(try instant(text)) == expected)
}

@Test(arguments: [
    ("2026-01-05T16:59:59Z", false),
    ("2026-01-05T17:00:00Z", true),
    ("2026-01-05T23:59:59Z", true),
    ("2026-01-06T00:00:00Z", false),
])
func timesEndingAt2400CoverTheLastMinuteOfTheDay(at text: String, expected: Bool) throws {
    let spec = TimeIntervalSpec(times: [TimeRange(startMinute: 17 * 60, endMinute: 1440)])
    #expect(spec.contains(try instant(text)) == expected)
}

// 2026-01-04 is a Sunday, 2026-01-09 a Friday.
@Test(arguments: [
    ("2026-01-04T23:59:59Z", false),
    ("2026-01-05T00:00:00Z", true),
    ("2026-01-07T12:00:00Z", true),
    ("2026-01-09T23:59:59Z", true),
    ("2026-01-10T00:00:00Z", false),
    ("2026-01-11T12:00:00Z", false),
])
func weekdaysAreInclusive(at text: String, expected: Bool) throws {
    let spec = TimeIntervalSpec(weekdays: [InclusiveRange(begin: 1, end: 5)])
    #expect(spec.contains(try instant(text)) == expected)
}

@Test func weekdaysCountSundayAsZero() throws {
    let sunday = try instant("2026-01-04T12:00:00Z")
    #expect(TimeIntervalSpec(weekdays: [InclusiveRange(0)]).contains(sunday))
    #expect(!TimeIntervalSpec(weekdays: [InclusiveRange(6)]).contains(sunday))
    #expect(TimeIntervalSpec(weekdays: [InclusiveRange(6)]).contains(try instant("2026-01-03T12:00:00Z")))
}

@Test(arguments: [
    ("2025-12-31T23:59:59Z", false),
    ("2026-01-01T00:00:00Z", true),
    ("2026-01-05T23:59:59Z", true),
    ("2026-01-06T00:00:00Z", false),
    ("2026-02-03T10:00:00Z", true),
])
func daysOfMonthAreInclusive(at text: String, expected: Bool) throws {
    let spec = TimeIntervalSpec(daysOfMonth: [InclusiveRange(begin: 1, end: 5)])
    #expect(spec.contains(try instant(text)) == expected)
}

@Test(arguments: [
    ("2026-01-01T00:00:00Z", true),
    ("2026-03-31T23:59:59Z", true),
    ("2026-04-01T00:00:00Z", false),
    ("2026-11-30T23:59:59Z", false),
    ("2026-12-01T00:00:00Z", true),
    ("2026-12-31T23:59:59Z", true),
])
func monthsAreInclusiveAndOred(at text: String, expected: Bool) throws {
    let spec = TimeIntervalSpec(months: [InclusiveRange(begin: 1, end: 3), InclusiveRange(12)])
    #expect(spec.contains(try instant(text)) == expected)
}

@Test(arguments: [
    ("2019-12-31T23:59:59Z", false),
    ("2020-01-01T00:00:00Z", true),
    ("2022-12-31T23:59:59Z", true),
    ("2023-01-01T00:00:00Z", false),
])
func yearsAreInclusive(at text: String, expected: Bool) throws {
    let spec = TimeIntervalSpec(years: [InclusiveRange(begin: 2020, end: 2022)])
    #expect(spec.contains(try instant(text)) == expected)
}

@Test func fieldsAreAnded() throws {
    let spec = TimeIntervalSpec(
        times: [TimeRange(startMinute: 9 * 60, endMinute: 17 * 60)],
        weekdays: [InclusiveRange(begin: 1, end: 5)],
        months: [InclusiveRange(1)]
    )
    #expect(spec.contains(try instant("2026-01-05T10:00:00Z")))
    #expect(!spec.contains(try instant("2026-01-05T18:00:00Z")))  // wrong time
    #expect(!spec.contains(try instant("2026-01-04T10:00:00Z")))  // Sunday
    #expect(!spec.contains(try instant("2026-02-02T10:00:00Z")))  // Monday in February
}

@Test func absentFieldsMatchEverythingButEmptyFieldsMatchNothing() throws {
    let now = try instant("2026-06-15T12:34:56Z")
    #expect(TimeIntervalSpec().contains(now))
    #expect(TimeIntervalSpec().contains(try instant("1969-07-20T20:17:40Z")))
    #expect(!TimeIntervalSpec(times: []).contains(now))
    #expect(!TimeIntervalSpec(weekdays: []).contains(now))
    #expect(!TimeIntervalSpec(daysOfMonth: []).contains(now))
    #expect(!TimeIntervalSpec(months: []).contains(now))
    #expect(!TimeIntervalSpec(years: []).contains(now))
}

@Test func namedIntervalIsTheUnionOfItsEntries() throws {
    let weekends = TimeIntervalSpec(weekdays: [InclusiveRange(0), InclusiveRange(6)])
    let nights = TimeIntervalSpec(times: [TimeRange(startMinute: 0, endMinute: 6 * 60)])
    let offHours = NamedTimeInterval(name: "offhours", intervals: [weekends, nights])
    #expect(offHours.contains(try instant("2026-01-04T12:00:00Z")))  // Sunday noon
    #expect(offHours.contains(try instant("2026-01-06T05:59:00Z")))  // Tuesday night
    #expect(!offHours.contains(try instant("2026-01-06T06:00:00Z")))  // Tuesday morning
    #expect(!NamedTimeInterval(name: "never", intervals: []).contains(try instant("2026-01-04T12:00:00Z")))
}

// MARK: - negative days of month

@Test(arguments: [
    ("2024-02-29T12:00:00Z", true),  // leap year: the 29th is last
    ("2024-02-28T12:00:00Z", false),
    ("2025-02-28T12:00:00Z", true),  // non-leap: the 28th is last
    ("2025-02-27T23:59:59Z", false),
    ("2100-02-28T00:00:00Z", true),  // not a leap year (divisible by 100)
    ("2400-02-29T00:00:00Z", true),  // a leap year (divisible by 400)
    ("2400-02-28T00:00:00Z", false),
    ("2026-04-30T00:00:00Z", true),
    ("2026-04-29T23:59:59Z", false),
    ("2026-01-31T00:00:00Z", true),
    ("2026-01-30T00:00:00Z", false),
    ("2026-02-01T00:00:00Z", false),
])
func lastDayOfMonthFollowsMonthLength(at text: String, expected: Bool) throws {
    let spec = TimeIntervalSpec(daysOfMonth: [InclusiveRange(-1)])
    #expect(spec.contains(try instant(text)) == expected)
}

@Test(arguments: [
    ("-3:-1", "2024-02", [27, 28, 29]),
    ("-3:-1", "2025-02", [26, 27, 28]),
    ("-3:-1", "2026-04", [28, 29, 30]),
    ("-31:-1", "2025-02", Array(1...28)),
    ("1:-1", "2024-02", Array(1...29)),
    ("1:-27", "2024-02", [1, 2, 3]),
    ("1:-27", "2025-02", [1, 2]),
    ("-29", "2024-02", [1]),
    ("-29", "2025-02", []),
    ("25:31", "2025-02", [25, 26, 27, 28]),
    ("29:31", "2025-02", []),
    ("29:31", "2024-02", [29]),
    ("30", "2024-02", []),
    ("31", "2026-04", []),
    ("31", "2026-03", [31]),
    ("-1", "2026-12", [31]),
])
func negativeAndOverlongDaysResolveAgainstTheMonth(range text: String, month: String, days: [Int]) throws {
    let range = try TimeIntervalSpec.parseDayOfMonthRange(text)
    let spec = TimeIntervalSpec(daysOfMonth: [range])
    var calendar = Calendar(identifier: .gregorian)
    calendar.timeZone = try zone("UTC")
    let first = try instant("\(month)-01T12:00:00Z")
    let length = try #require(calendar.range(of: .day, in: .month, for: first)).count
    let matched = (1...length).filter { spec.contains(first.addingTimeInterval(Double($0 - 1) * 86_400)) }
    #expect(matched == days)
}

// MARK: - locations

@Test func fieldsAreReadOnTheLocationsWallClock() throws {
    // Sunday 23:30 UTC is Monday 00:30 in Berlin (CET, +01:00).
    let moment = try instant("2026-01-04T23:30:00Z")
    let monday = [InclusiveRange(1)]
    #expect(!TimeIntervalSpec(weekdays: monday).contains(moment))
    #expect(TimeIntervalSpec(weekdays: monday, location: try zone(berlin)).contains(moment))
    let earlyMorning = [TimeRange(startMinute: 0, endMinute: 60)]
    #expect(TimeIntervalSpec(times: earlyMorning, location: try zone(berlin)).contains(moment))
    #expect(!TimeIntervalSpec(times: earlyMorning).contains(moment))
}

@Test func yearAndMonthChangeAtLocalMidnight() throws {
    // 2025-12-31T23:30Z is already 2026-01-01 in Berlin, still 2025-12-31 in New York.
    let moment = try instant("2025-12-31T23:30:00Z")
    let newYear = TimeIntervalSpec(
        months: [InclusiveRange(1)], years: [InclusiveRange(2026)], location: try zone(berlin))
    #expect(newYear.contains(moment))
    var newYork = newYear
    newYork.location = try zone("America/New_York")
    #expect(!newYork.contains(moment))
}

@Test func halfHourOffsetsShiftMinutes() throws {
    let nineToFive = [TimeRange(startMinute: 9 * 60, endMinute: 17 * 60)]
    let kolkata = TimeIntervalSpec(times: nineToFive, location: try zone("Asia/Kolkata"))
    #expect(!kolkata.contains(try instant("2026-01-01T03:29:59Z")))
    #expect(kolkata.contains(try instant("2026-01-01T03:30:00Z")))
    #expect(kolkata.contains(try instant("2026-01-01T11:29:59Z")))
    #expect(!kolkata.contains(try instant("2026-01-01T11:30:00Z")))
}

@Test func lastDayOfMonthIsLocalInBerlin() throws {
    let lastDay = TimeIntervalSpec(daysOfMonth: [InclusiveRange(-1)], location: try zone(berlin))
    #expect(lastDay.contains(try instant("2026-01-31T22:59:59Z")))  // 23:59:59 CET on the 31st
    #expect(!lastDay.contains(try instant("2026-01-31T23:00:00Z")))  // 00:00 CET on 1 February
    #expect(!lastDay.contains(try instant("2026-01-30T22:59:59Z")))
}

/// Alertmanager 0.25 measured a month as elapsed hours / 24, which made March 30 the "last day" of a
/// spring-forward March in a DST zone; upstream fixed that (prometheus/alertmanager#5447). We use calendar
/// month lengths.
@Test func lastDayOfMonthIsCalendarCorrectInSpringForwardMonths() throws {
    let lastDay = TimeIntervalSpec(daysOfMonth: [InclusiveRange(-1)], location: try zone(berlin))
    #expect(lastDay.contains(try instant("2026-03-31T12:00:00+02:00")))
    #expect(!lastDay.contains(try instant("2026-03-30T12:00:00+02:00")))
    let newYorkLastDay = TimeIntervalSpec(daysOfMonth: [InclusiveRange(-1)], location: try zone("America/New_York"))
    #expect(newYorkLastDay.contains(try instant("2021-03-31T12:00:00-04:00")))
    #expect(!newYorkLastDay.contains(try instant("2021-03-30T12:00:00-04:00")))
    // Fall-back month: October has 31 days whatever its hours.
    #expect(lastDay.contains(try instant("2026-10-31T12:00:00+01:00")))
    #expect(!lastDay.contains(try instant("2026-10-30T12:00:00+01:00")))
}

// MARK: - daylight saving time (Europe/Berlin: 2026-03-29 02:00 CET -> 03:00 CEST, 2026-10-25 03:00 CEST -> 02:00 CET)

private func oneToThreeInBerlin() throws -> TimeIntervalSpec {
    TimeIntervalSpec(
        times: [try TimeIntervalSpec.parseTimeRange(start: "01:00", end: "03:00")],
        location: try TimeIntervalSpec.parseLocation(berlin)
    )
}

@Test(arguments: [
    ("2026-03-28T23:59:59Z", false),  // 00:59:59 CET
    ("2026-03-29T00:00:00Z", true),  // 01:00 CET
    ("2026-03-29T00:59:59Z", true),  // 01:59:59 CET
    ("2026-03-29T01:00:00Z", false),  // 03:00 CEST: 02:00-02:59 never happened
    ("2026-03-29T01:30:00Z", false),  // 03:30 CEST
    ("2026-03-29T23:00:00Z", true),  // 01:00 CEST on the 30th
])
func springForwardSkipsTheMissingHour(at text: String, expected: Bool) throws {
    #expect(try oneToThreeInBerlin().contains(try instant(text)) == expected)
}

@Test(arguments: [
    ("2026-10-24T22:59:59Z", false),  // 00:59:59 CEST
    ("2026-10-24T23:00:00Z", true),  // 01:00 CEST
    ("2026-10-25T00:30:00Z", true),  // first 02:30 (CEST)
    ("2026-10-25T01:00:00Z", true),  // second 02:00 (CET)
    ("2026-10-25T01:59:59Z", true),  // second 02:59:59 (CET)
    ("2026-10-25T02:00:00Z", false),  // 03:00 CET
])
func fallBackRepeatsTheDoubledHour(at text: String, expected: Bool) throws {
    #expect(try oneToThreeInBerlin().contains(try instant(text)) == expected)
}

@Test(arguments: [
    ("2026-03-28", 120),
    ("2026-03-29", 60),
    ("2026-10-25", 180),
    ("2026-10-26", 120),
])
func localTimeRangeLastsAsLongAsTheWallClockSays(day: String, minutes: Int) throws {
    let spec = try oneToThreeInBerlin()
    // Every minute from 21:00 UTC the day before to 06:00 UTC covers 01:00-03:00 Berlin time in either offset.
    let start = try instant("\(day)T00:00:00Z").addingTimeInterval(-3 * 3600)
    let matched = (0..<(9 * 60)).filter { spec.contains(start.addingTimeInterval(Double($0) * 60)) }
    #expect(matched.count == minutes)
}

// MARK: - instants far from now

@Test func instantsBefore1970UseFloorArithmetic() throws {
    // 1969-12-31T23:59:59.5Z: Wednesday, last minute of the day, December 1969.
    let moment = try instant("1969-12-31T23:59:59Z").addingTimeInterval(0.5)
    let spec = TimeIntervalSpec(
        times: [TimeRange(startMinute: 1439, endMinute: 1440)],
        weekdays: [InclusiveRange(3)],
        daysOfMonth: [InclusiveRange(-1)],
        months: [InclusiveRange(12)],
        years: [InclusiveRange(1969)]
    )
    #expect(spec.contains(moment))
    #expect(!spec.contains(moment.addingTimeInterval(0.5)))
}

@Test func unrepresentableInstantsDoNotCrash() {
    let spec = TimeIntervalSpec(weekdays: [InclusiveRange(begin: 0, end: 6)], years: [InclusiveRange(begin: 0, end: 9)])
    for seconds in [Double.nan, .infinity, -.infinity, 1e300, -1e300, Double(Int64.max), Double(Int64.min)] {
        _ = spec.contains(Date(timeIntervalSince1970: seconds))
    }
    #expect(!spec.contains(Date(timeIntervalSince1970: .nan)))
}
