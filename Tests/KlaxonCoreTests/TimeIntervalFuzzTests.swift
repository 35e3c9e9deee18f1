import Foundation
import Testing

@testable import KlaxonCore

/// SplitMix64: a tiny seeded generator so every run feeds the same inputs.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64

    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

/// Characters that reach every branch of the parsers, plus some that should never be accepted.
private let alphabet: [Character] =
    Array("0123456789:-+_ .xX\t\n\"\\/") + Array("mondayfrijulsepcbtwhkDMJ")
    + ["ä", "İ", "😀", "\u{A0}", "\u{0}", "\u{7F}", "\u{E000}", "１", "٣"]

private let fragments = [
    "monday", "Friday", "SUNDAY", "january", "December", "24:00", "23:59", "00:00", "-1", "-31", "31", "32",
    "9223372036854775807", "9223372036854775808", "-9223372036854775808", "Europe/Berlin", "UTC", "Local", "..",
]

private func randomString(_ rng: inout SplitMix64) -> String {
    var out = ""
    for _ in 0..<Int.random(in: 0...4, using: &rng) {
        if Bool.random(using: &rng), let fragment = fragments.randomElement(using: &rng) {
            out += fragment
        } else {
            for _ in 0..<Int.random(in: 0...6, using: &rng) {
                out.append(alphabet.randomElement(using: &rng) ?? ":")
            }
        }
        if Int.random(in: 0..<3, using: &rng) == 0 { out += ":" }
    }
    return out
}

/// Runs a parser; a thrown error must carry a message, a result must satisfy `valid`.
private func check<T>(
    _ input: String,
    _ parse: (String) throws(TimeIntervalError) -> T,
    valid: (T) -> Bool
) {
    do {
        let value = try parse(input)
        #expect(valid(value), "accepted \(String(reflecting: input)) as \(value)")
    } catch {
        #expect(!error.description.isEmpty)
    }
}

@Test func parsersNeverCrashOnRandomInputAndOnlyAcceptValidRanges() {
    var rng = SplitMix64(state: 0x5EED_0001)
    let probe = Date(timeIntervalSince1970: 1_780_000_000)
    for _ in 0..<5_000 {
        let input = randomString(&rng)
        check(input, TimeIntervalSpec.parseWeekdayRange) { 0 <= $0.begin && $0.begin <= $0.end && $0.end <= 6 }
        check(input, TimeIntervalSpec.parseDayOfMonthRange) { range in
            let inBounds = [range.begin, range.end].allSatisfy { $0 != 0 && (-31...31).contains($0) }
            return inBounds && !(range.begin < 0 && range.end > 0)
        }
        check(input, TimeIntervalSpec.parseMonthRange) { $0.begin <= $0.end }
        check(input, TimeIntervalSpec.parseYearRange) { $0.begin <= $0.end }
        check(input, TimeIntervalSpec.parseLocation) { TimeIntervalSpec(location: $0).contains(probe) }
        let other = randomString(&rng)
        check(
            input,
            { (start) throws(TimeIntervalError) in try TimeIntervalSpec.parseTimeRange(start: start, end: other) }
        ) {
            0 <= $0.startMinute && $0.startMinute < $0.endMinute && $0.endMinute <= 1440
        }
    }
}

/// Random specs against an oracle built on Foundation's calendar (month lengths, weekdays, wall clock).
@Test func randomSpecsAgreeWithACalendarOracle() throws {
    var rng = SplitMix64(state: 0x5EED_0002)
    let names = ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Australia/Lord_Howe", "Pacific/Chatham"]
    for _ in 0..<2_000 {
        let zone = try TimeIntervalSpec.parseLocation(names.randomElement(using: &rng) ?? "UTC")
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        let startMinute = Int.random(in: 0...1439, using: &rng)
        let firstWeekday = Int.random(in: 0...6, using: &rng)
        let days = InclusiveRange(
            begin: Int.random(in: -31...31, using: &rng), end: Int.random(in: -31...31, using: &rng))
        let spec = TimeIntervalSpec(
            times: [TimeRange(startMinute: startMinute, endMinute: 1440)],
            weekdays: [InclusiveRange(begin: firstWeekday, end: 6)],
            daysOfMonth: [days],
            location: zone
        )
        // 1900 to 2200.
        let date = Date(timeIntervalSince1970: Double.random(in: -2_208_988_800...7_258_118_400, using: &rng))
        let parts = calendar.dateComponents([.day, .weekday, .hour, .minute], from: date)
        let length = try #require(calendar.range(of: .day, in: .month, for: date)).count
        let day = try #require(parts.day)
        let resolve = { (value: Int) in value < 0 ? length + value + 1 : value }
        let expected =
            try #require(parts.hour) * 60 + (try #require(parts.minute)) >= startMinute
            && (try #require(parts.weekday)) - 1 >= firstWeekday
            && day >= resolve(days.begin) && day <= resolve(days.end)
        #expect(spec.contains(date) == expected, "\(spec) at \(date)")
    }
}

/// Cross-checks the arithmetic civil date against Foundation's calendar over a wide span of instants.
@Test func wallClockFieldsAgreeWithFoundationCalendar() throws {
    var rng = SplitMix64(state: 0x5EED_0003)
    for name in ["UTC", "Europe/Berlin", "America/New_York", "Asia/Kolkata", "Pacific/Chatham"] {
        let zone = try TimeIntervalSpec.parseLocation(name)
        var calendar = Calendar(identifier: .gregorian)
        calendar.timeZone = zone
        for _ in 0..<500 {
            // 1900 to 2200: well after the Julian cutover that Foundation's calendar applies.
            let date = Date(
                timeIntervalSince1970: Double.random(in: -2_208_988_800...7_258_118_400, using: &rng).rounded())
            let parts = calendar.dateComponents([.year, .month, .day, .weekday, .hour, .minute], from: date)
            let year = try #require(parts.year), month = try #require(parts.month), day = try #require(parts.day)
            let weekday = try #require(parts.weekday) - 1
            let minute = try #require(parts.hour) * 60 + (try #require(parts.minute))
            let exact = TimeIntervalSpec(
                times: [TimeRange(startMinute: minute, endMinute: minute + 1)],
                weekdays: [InclusiveRange(weekday)],
                daysOfMonth: [InclusiveRange(day)],
                months: [InclusiveRange(month)],
                years: [InclusiveRange(year)],
                location: zone
            )
            #expect(exact.contains(date), "\(name) \(date)")
            var wrongMinute = exact
            wrongMinute.times = [TimeRange(startMinute: minute + 1, endMinute: minute + 2)]
            #expect(!wrongMinute.contains(date), "\(name) \(date)")
        }
    }
}
