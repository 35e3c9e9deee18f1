import Foundation
import Testing

@testable import KlaxonCore

/// The message a parser throws, or nil when it succeeds.
private func message<T>(_ body: () throws(TimeIntervalError) -> T) -> String? {
    do {
        _ = try body()
        return nil
    } catch {
        return error.description
    }
}

// MARK: - times

@Test(arguments: [
    ("00:00", "24:00", 0, 1440),
    ("23:59", "24:00", 1439, 1440),
    ("09:30", "17:45", 570, 1065),
    ("00:00", "00:01", 0, 1),
    ("19:59", "20:00", 1199, 1200),
])
func timeRangeParsesHoursAndMinutes(start: String, end: String, startMinute: Int, endMinute: Int) throws {
    let range = try TimeIntervalSpec.parseTimeRange(start: start, end: end)
    #expect(range == TimeRange(startMinute: startMinute, endMinute: endMinute))
}

@Test(arguments: [
    ("", "10:00", "both start and end times must be provided"),
    ("10:00", "", "both start and end times must be provided"),
    ("", "", "both start and end times must be provided"),
    ("10:00", "10:00", "start time cannot be equal or greater than end time"),
    ("11:00", "10:00", "start time cannot be equal or greater than end time"),
    ("24:00", "24:00", "start time cannot be equal or greater than end time"),
    ("9:00", "10:00", "couldn't parse timestamp 9:00, invalid format"),
    ("10:00", "24:01", "couldn't parse timestamp 24:01, invalid format"),
    ("24:30", "10:00", "couldn't parse timestamp 24:30, invalid format"),
    ("25:00", "26:00", "couldn't parse timestamp 25:00, invalid format"),
    ("10:60", "11:00", "couldn't parse timestamp 10:60, invalid format"),
    ("10:00:00", "11:00", "couldn't parse timestamp 10:00:00, invalid format"),
    (" 10:00", "11:00", "couldn't parse timestamp  10:00, invalid format"),
    ("10:00\n", "11:00", "couldn't parse timestamp 10:00\n, invalid format"),
    ("１０:00", "11:00", "couldn't parse timestamp １０:00, invalid format"),
    ("10.00", "11:00", "couldn't parse timestamp 10.00, invalid format"),
    ("1000", "11:00", "couldn't parse timestamp 1000, invalid format"),
    ("x", "y", "couldn't parse timestamp x, invalid format"),
    ("10:00", "y", "couldn't parse timestamp y, invalid format"),
])
func timeRangeErrorsUseAlertmanagerMessages(start: String, end: String, expected: String) {
    #expect(
        message { () throws(TimeIntervalError) in try TimeIntervalSpec.parseTimeRange(start: start, end: end) }
            == expected)
}

// MARK: - weekdays

@Test(arguments: [
    ("sunday", 0, 0),
    ("Monday", 1, 1),
    ("monday:friday", 1, 5),
    ("SUNDAY:saturday", 0, 6),
    ("Saturday", 6, 6),
    ("wednesday:wednesday", 3, 3),
])
func weekdayRangeParsesNamesInAnyCase(input: String, begin: Int, end: Int) throws {
    #expect(try TimeIntervalSpec.parseWeekdayRange(input) == InclusiveRange(begin: begin, end: end))
}

@Test(arguments: [
    ("saturday:sunday", "start day cannot be before end day"),
    ("friday:monday", "start day cannot be before end day"),
    ("funday", "funday is not a valid weekday"),
    ("Funday", "funday is not a valid weekday"),
    ("monday:Funday", "funday is not a valid weekday"),
    ("mon", "mon is not a valid weekday"),
    ("1", "1 is not a valid weekday"),
    ("1:5", "1 is not a valid weekday"),
    (" monday", " monday is not a valid weekday"),
    ("", " is not a valid weekday"),
    (":", " is not a valid weekday"),
    ("monday:tuesday:friday", "couldn't parse range monday:tuesday:friday, invalid format"),
    ("Monday:Tuesday:X", "couldn't parse range monday:tuesday:x, invalid format"),
    ("MONDAY::", "couldn't parse range monday::, invalid format"),
])
func weekdayRangeErrorsUseAlertmanagerMessages(input: String, expected: String) {
    #expect(message { () throws(TimeIntervalError) in try TimeIntervalSpec.parseWeekdayRange(input) } == expected)
}

// MARK: - days_of_month

@Test(arguments: [
    ("1", 1, 1),
    ("31", 31, 31),
    ("-1", -1, -1),
    ("-31", -31, -31),
    ("1:5", 1, 5),
    ("-3:-1", -3, -1),
    ("-31:-1", -31, -1),
    ("1:-1", 1, -1),
    ("27:-1", 27, -1),
    ("1:31", 1, 31),
    ("+5", 5, 5),
    ("05:+07", 5, 7),
])
func dayOfMonthRangeAcceptsPositiveAndNegativeDays(input: String, begin: Int, end: Int) throws {
    #expect(try TimeIntervalSpec.parseDayOfMonthRange(input) == InclusiveRange(begin: begin, end: end))
}

@Test(arguments: [
    ("0", "0 is not a valid day of the month: out of range"),
    ("32", "32 is not a valid day of the month: out of range"),
    ("-32:-1", "-32 is not a valid day of the month: out of range"),
    ("1:32", "32 is not a valid day of the month: out of range"),
    ("0:40", "0 is not a valid day of the month: out of range"),
    ("5:0", "0 is not a valid day of the month: out of range"),
    ("-9223372036854775808", "-9223372036854775808 is not a valid day of the month: out of range"),
    ("-3:5", "end day must be negative if start day is negative"),
    ("-1:1", "end day must be negative if start day is negative"),
    ("10:5", "end day 5 is always before start day 10"),
    ("28:-1", "end day -1 is always before start day 28"),
    ("20:-10", "end day -10 is always before start day 20"),
    ("-1:-3", "end day -3 is always before start day -1"),
    ("first", "strconv.Atoi: parsing \"first\": invalid syntax"),
    ("First", "strconv.Atoi: parsing \"first\": invalid syntax"),
    ("1:x", "strconv.Atoi: parsing \"x\": invalid syntax"),
    ("", "strconv.Atoi: parsing \"\": invalid syntax"),
    ("-", "strconv.Atoi: parsing \"-\": invalid syntax"),
    ("+", "strconv.Atoi: parsing \"+\": invalid syntax"),
    ("--1", "strconv.Atoi: parsing \"--1\": invalid syntax"),
    (" 1", "strconv.Atoi: parsing \" 1\": invalid syntax"),
    ("1 ", "strconv.Atoi: parsing \"1 \": invalid syntax"),
    ("1_0", "strconv.Atoi: parsing \"1_0\": invalid syntax"),
    ("0x1", "strconv.Atoi: parsing \"0x1\": invalid syntax"),
    ("1.5", "strconv.Atoi: parsing \"1.5\": invalid syntax"),
    ("٣", "strconv.Atoi: parsing \"٣\": invalid syntax"),
    ("\t", "strconv.Atoi: parsing \"\\t\": invalid syntax"),
    ("\"x\"", "strconv.Atoi: parsing \"\\\"x\\\"\": invalid syntax"),
    ("a\\b", "strconv.Atoi: parsing \"a\\\\b\": invalid syntax"),
    ("\u{1F}", "strconv.Atoi: parsing \"\\x1f\": invalid syntax"),
    ("\u{7F}", "strconv.Atoi: parsing \"\\x7f\": invalid syntax"),
    ("\u{A0}", "strconv.Atoi: parsing \"\\u00a0\": invalid syntax"),
    ("\u{E000}", "strconv.Atoi: parsing \"\\ue000\": invalid syntax"),
    ("\u{10FFFD}", "strconv.Atoi: parsing \"\\U0010fffd\": invalid syntax"),
    ("ä😀", "strconv.Atoi: parsing \"ä😀\": invalid syntax"),
    ("9223372036854775808", "strconv.Atoi: parsing \"9223372036854775808\": value out of range"),
    ("-9223372036854775809", "strconv.Atoi: parsing \"-9223372036854775809\": value out of range"),
    ("99999999999999999999", "strconv.Atoi: parsing \"99999999999999999999\": value out of range"),
    // Go stops at the first problem it meets: the overflow comes before the letter here...
    ("99999999999999999999x", "strconv.Atoi: parsing \"99999999999999999999x\": value out of range"),
    // ...and the letter before any overflow here.
    ("9999999999999999999x9", "strconv.Atoi: parsing \"9999999999999999999x9\": invalid syntax"),
    ("1:2:3", "couldn't parse range 1:2:3, invalid format"),
])
func dayOfMonthRangeErrorsUseAlertmanagerMessages(input: String, expected: String) {
    #expect(message { () throws(TimeIntervalError) in try TimeIntervalSpec.parseDayOfMonthRange(input) } == expected)
}

// MARK: - months

@Test(arguments: [
    ("January", 1, 1),
    ("january:march", 1, 3),
    ("DECEMBER", 12, 12),
    ("12", 12, 12),
    ("1:3", 1, 3),
    ("march:12", 3, 12),
    ("1:june", 1, 6),
    // Alertmanager 0.25 does not range-check month numbers.
    ("13", 13, 13),
    ("0:13", 0, 13),
])
func monthRangeParsesNamesAndNumbers(input: String, begin: Int, end: Int) throws {
    #expect(try TimeIntervalSpec.parseMonthRange(input) == InclusiveRange(begin: begin, end: end))
}

@Test(arguments: [
    ("december:january", "end month january is before start month december"),
    ("12:1", "end month january is before start month december"),
    ("13:1", "end month january is before start month "),
    ("5:-1", "end month  is before start month may"),
    ("foo", "foo is not a valid month"),
    ("Foo", "foo is not a valid month"),
    ("jan", "jan is not a valid month"),
    ("january:feb", "feb is not a valid month"),
    ("", " is not a valid month"),
    ("99999999999999999999", "99999999999999999999 is not a valid month"),
    ("a:b:c", "couldn't parse range a:b:c, invalid format"),
])
func monthRangeErrorsUseAlertmanagerMessages(input: String, expected: String) {
    #expect(message { () throws(TimeIntervalError) in try TimeIntervalSpec.parseMonthRange(input) } == expected)
}

// MARK: - years

@Test(arguments: [
    ("2024", 2024, 2024),
    ("2020:2022", 2020, 2022),
    ("-5:-3", -5, -3),
    ("0", 0, 0),
])
func yearRangeParsesIntegers(input: String, begin: Int, end: Int) throws {
    #expect(try TimeIntervalSpec.parseYearRange(input) == InclusiveRange(begin: begin, end: end))
}

@Test(arguments: [
    ("2022:2020", "end year 2020 is before start year 2022"),
    ("-3:-5", "end year -5 is before start year -3"),
    ("twenty", "strconv.Atoi: parsing \"twenty\": invalid syntax"),
    ("2020:", "strconv.Atoi: parsing \"\": invalid syntax"),
    ("2020-2022", "strconv.Atoi: parsing \"2020-2022\": invalid syntax"),
    ("2020:2021:2022", "couldn't parse range 2020:2021:2022, invalid format"),
])
func yearRangeErrorsUseAlertmanagerMessages(input: String, expected: String) {
    #expect(message { () throws(TimeIntervalError) in try TimeIntervalSpec.parseYearRange(input) } == expected)
}

// MARK: - location

@Test(arguments: ["Europe/Berlin", "America/New_York", "Asia/Kolkata", "Etc/GMT+5", "EST", "CET", "US/Eastern"])
func locationAcceptsTzDatabaseNames(name: String) throws {
    #expect(try TimeIntervalSpec.parseLocation(name).identifier == name)
}

@Test func locationDefaultsToUTC() throws {
    for name in ["", "UTC"] {
        let zone = try TimeIntervalSpec.parseLocation(name)
        #expect(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 0)) == 0)
        #expect(zone.secondsFromGMT(for: Date(timeIntervalSince1970: 1_783_000_000)) == 0)
    }
}

@Test func localLocationIsTheProcessZone() throws {
    #expect(try TimeIntervalSpec.parseLocation("Local") == TimeZone.current)
}

@Test(arguments: [
    ("europe/berlin", "unknown time zone europe/berlin"),
    ("Foo/Bar", "unknown time zone Foo/Bar"),
    ("Local ", "unknown time zone Local "),
    ("utc", "unknown time zone utc"),
    ("PST", "unknown time zone PST"),
    ("IST", "unknown time zone IST"),
    ("GMT+1", "unknown time zone GMT+1"),
    ("UTC-05:30", "unknown time zone UTC-05:30"),
    ("SystemV/AST4", "unknown time zone SystemV/AST4"),
    ("../etc/passwd", "time: invalid location name"),
    ("Europe/..", "time: invalid location name"),
    ("/etc/localtime", "time: invalid location name"),
    ("\\Europe\\Berlin", "time: invalid location name"),
])
func locationErrorsUseGoMessages(input: String, expected: String) {
    #expect(message { () throws(TimeIntervalError) in try TimeIntervalSpec.parseLocation(input) } == expected)
}
