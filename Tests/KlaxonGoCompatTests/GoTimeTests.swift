import Foundation
import KlaxonGoCompat
import Testing

@Suite struct CivilDateTests {
    /// Go's time package counts days on the proleptic Gregorian calendar: every fourth year is a leap year,
    /// except centuries not divisible by 400; 1970-01-01 was a Thursday.
    static let dates: [(days: Int, year: Int, month: Int, day: Int, weekday: Int, yearDay: Int)] = [
        (0, 1970, 1, 1, 4, 1),
        (-1, 1969, 12, 31, 3, 365),
        (11_016, 2000, 2, 29, 2, 60),
        (11_017, 2000, 3, 1, 3, 61),
        (-719_162, 1, 1, 1, 1, 1),
        (-719_528, 0, 1, 1, 6, 1),
        (47_540, 2100, 2, 28, 0, 59),
        (47_541, 2100, 3, 1, 1, 60),
        (20_787, 2026, 11, 30, 1, 334),
        (2_932_896, 9999, 12, 31, 5, 365),
    ]

    @Test(arguments: dates)
    func dayCountsAndDatesConvertBothWays(
        days: Int, year: Int, month: Int, day: Int, weekday: Int, yearDay: Int
    ) {
        let date = CivilDate(daysSinceEpoch: days)
        #expect(date == CivilDate(year: year, month: month, day: day))
        #expect(date.daysSinceEpoch == days)
        #expect(CivilDate.weekday(daysSinceEpoch: days) == weekday)
        #expect(date.yearDay == yearDay)
    }

    static let monthLengths: [(month: Int, year: Int, days: Int)] = [
        (1, 2026, 31), (2, 2026, 28), (2, 2024, 29), (2, 2000, 29), (2, 1900, 28), (2, 0, 29), (4, 2026, 30),
        (12, 2026, 31),
    ]

    @Test(arguments: monthLengths)
    func monthsHaveGregorianLengths(month: Int, year: Int, days: Int) {
        #expect(CivilDate.daysIn(month: month, year: year) == days)
        #expect(CivilDate(year: year, month: month, day: days).isValid)
        #expect(!CivilDate(year: year, month: month, day: days + 1).isValid)
    }

    static let divisions: [(Int, Int, Int, Int)] = [(7, 2, 3, 1), (-7, 2, -4, 1), (-8, 2, -4, 0), (0, 5, 0, 0)]

    @Test(arguments: divisions)
    func floorDivisionRoundsTowardNegativeInfinity(lhs: Int, rhs: Int, quotient: Int, remainder: Int) {
        #expect(CivilDate.floorDivide(lhs, rhs) == quotient)
        #expect(CivilDate.floorModulo(lhs, rhs) == remainder)
    }
}

@Suite struct GoTimeTests {
    /// Go: "Format returns a textual representation of the time value formatted according to the layout ...
    /// the reference time, defined to be Mon Jan 2 15:04:05 -0700 MST 2006". Fractions: ".000" keeps that
    /// many digits, ".999" drops trailing zeros (and the point when none are left).
    static let layouts: [(String, String)] = [
        ("2006-01-02 15:04:05 MST", "2025-12-01 08:43:22 UTC"),
        ("Mon Jan _2 3:04PM", "Mon Dec  1 8:43AM"),
        ("2006-01-02T15:04:05.000Z07:00", "2025-12-01T08:43:22.286Z"),
        ("Monday, 02-January-06 15:04:05.999 -0700", "Monday, 01-December-25 08:43:22.286 +0000"),
        ("002 __2 pm", "335 335 am"),
        ("15:04:05.000000000", "08:43:22.286000000"),
        ("05.9 05.99999 05,000", "22.2 22.286 22,286"),
        ("1/2/06 3:4:5", "12/1/25 8:43:22"),
        ("-07:00:00 -0700 -07 Z07", "+00:00:00 +0000 +00 Z"),
        ("_2006 x", "_2025 x"),
    ]

    @Test(arguments: layouts)
    func formatFollowsGoLayouts(layout: String, expected: String) {
        let time = GoTime(date: Date(timeIntervalSince1970: 1_764_578_602.286))  // Monday 2025-12-01T08:43:22.286Z
        #expect(time.format(layout) == expected)
    }

    /// Go's time.Time.String: "2006-01-02 15:04:05.999999999 -0700 MST"; a zone without a name prints its
    /// offset.
    static let strings: [(GoTime, String)] = [
        (GoTime(seconds: 1_795_327_939, nanoseconds: 357_000_000), "2026-11-22 06:12:19.357 +0000 UTC"),
        (GoTime(date: GoTime.goZeroDate), "0001-01-01 00:00:00 +0000 UTC"),
        (
            GoTime(seconds: 1_795_327_939, nanoseconds: 1, utcOffset: 3600, zoneName: "CET"),
            "2026-11-22 07:12:19.000000001 +0100 CET"
        ),
        (
            GoTime(seconds: 1_795_327_939, nanoseconds: 500_000_000, utcOffset: -5400, zoneName: ""),
            "2026-11-22 04:42:19.5 -0130 -0130"
        ),
    ]

    @Test(arguments: strings)
    func stringPrintsLikeGoTimeString(time: GoTime, expected: String) {
        #expect(time.description == expected)
    }

    /// Dates round to the nearest microsecond first (a Double holds about 0.24 µs today, so `.357` may be stored
    /// as `.35699999`); then layouts truncate as Go does. RFC3339Nano trims trailing zeros; strfmt.DateTime
    /// keeps exactly three digits.
    static let instants: [(Double, nano: String, millis: String)] = [
        (0, "1970-01-01T00:00:00Z", "1970-01-01T00:00:00.000Z"),
        (1_795_327_939.357, "2026-11-22T06:12:19.357Z", "2026-11-22T06:12:19.357Z"),
        (1_795_327_939.3579, "2026-11-22T06:12:19.3579Z", "2026-11-22T06:12:19.357Z"),
        (1_893_542_400.123456, "2030-01-02T00:00:00.123456Z", "2030-01-02T00:00:00.123Z"),
        (1_795_327_939.999_999_9, "2026-11-22T06:12:20Z", "2026-11-22T06:12:20.000Z"),
        (951_782_400, "2000-02-29T00:00:00Z", "2000-02-29T00:00:00.000Z"),
        (-1.5, "1969-12-31T23:59:58.5Z", "1969-12-31T23:59:58.500Z"),
        (-62_135_596_800, "0001-01-01T00:00:00Z", "0001-01-01T00:00:00.000Z"),
    ]

    @Test(arguments: instants)
    func datesPrintAsRFC3339RoundedToTheMicrosecond(seconds: Double, nano: String, millis: String) {
        let date = Date(timeIntervalSince1970: seconds)
        #expect(GoTime.rfc3339Nano(date) == nano)
        #expect(GoTime.rfc3339Millis(date) == millis)
    }

    /// Go's time.Parse(time.RFC3339, s): a fraction is accepted after the seconds (with `.` or `,`), the hour
    /// may have one digit, the offset is `Z` or `±hh:mm`.
    static let parsed: [(String, seconds: Int64, nanos: Int32, offset: Int)] = [
        ("2025-12-01T08:43:22.286Z", 1_764_578_602, 286_000_000, 0),
        ("2025-12-01T08:43:22Z", 1_764_578_602, 0, 0),
        ("2025-12-01T10:43:22.286123456+02:00", 1_764_578_602, 286_123_456, 7200),
        ("2025-12-01T08:43:22,5Z", 1_764_578_602, 500_000_000, 0),
        ("2024-02-29T23:59:59.0000000019Z", 1_709_251_199, 1, 0),
        ("1970-01-01T00:00:00-01:30", 5400, 0, -5400),
        ("2026-12-01T0:00:00Z", 1_796_083_200, 0, 0),
    ]

    @Test(arguments: parsed)
    func rfc3339Parses(text: String, seconds: Int64, nanos: Int32, offset: Int) throws {
        let time = try GoTime.parseRFC3339(text)
        #expect(time.seconds == seconds)
        #expect(time.nanoseconds == nanos)
        #expect(time.utcOffset == offset)
        #expect(time.zoneName == (offset == 0 ? "UTC" : ""))
    }

    /// Go's ParseError texts: `parsing time "v" as "layout": cannot parse "rest" as "element"`, or
    /// `parsing time "v": <field> out of range` / `: extra text: "rest"`; values are quoted with the time
    /// package's own quote (non-ASCII bytes as \xNN).
    static let rejected: [(String, Bool, String)] = [
        ("", false, #"parsing time "" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "2006""#),
        ("bad", false, #"parsing time "bad" as "2006-01-02T15:04:05Z07:00": cannot parse "bad" as "2006""#),
        ("2026-01-01", false, #"parsing time "2026-01-01" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "T""#),
        (
            "2026-12-01T00:00:00", false,
            #"parsing time "2026-12-01T00:00:00" as "2006-01-02T15:04:05Z07:00": cannot parse "" as "Z07:00""#
        ),
        ("2026-13-01T00:00:00Z", false, #"parsing time "2026-13-01T00:00:00Z": month out of range"#),
        ("2026-02-30T00:00:00Z", false, #"parsing time "2026-02-30T00:00:00Z": day out of range"#),
        ("2026-12-01T24:00:00Z", false, #"parsing time "2026-12-01T24:00:00Z": hour out of range"#),
        ("2026-12-01T00:00:00Zjunk", false, #"parsing time "2026-12-01T00:00:00Zjunk": extra text: "junk""#),
        ("2026-12-01T00:00:00Zé", false, #"parsing time "2026-12-01T00:00:00Z\xc3\xa9": extra text: "\xc3\xa9""#),
        (
            "2026-12-01", true,
            #"parsing time "2026-12-01" as "\"2006-01-02T15:04:05Z07:00\"": cannot parse "2026-12-01" as "\"""#
        ),
        (
            #""2026-12-01T00:00:00Z"#, true,
            #"parsing time "\"2026-12-01T00:00:00Z" as "\"2006-01-02T15:04:05Z07:00\"": cannot parse "" as "\"""#
        ),
    ]

    @Test(arguments: rejected)
    func badRFC3339ValuesAreWordedLikeGo(text: String, quoted: Bool, message: String) {
        #expect(throws: GoParseError(message)) { try GoTime.parseRFC3339(text, quoted: quoted) }
    }

    @Test func quotedRFC3339IsWhatTimeUnmarshalJSONReads() throws {
        let time = try GoTime.parseRFC3339(#""2026-12-01T02:00:00+02:00""#, quoted: true)
        #expect(time.date == Date(timeIntervalSince1970: 1_796_083_200))
    }
}
