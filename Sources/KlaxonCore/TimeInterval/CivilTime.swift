import Foundation

/// Wall-clock fields of an instant in a time zone, on the proleptic Gregorian calendar (as Go's `time` package).
///
/// Computed from the zone's UTC offset at that instant, so daylight saving time is exact: the offset is what
/// changes at a transition, and the fields are plain arithmetic on the shifted seconds.
struct CivilTime: Hashable {
    var year: Int
    /// 1...12.
    var month: Int
    /// 1...31.
    var day: Int
    /// 0 is Sunday ... 6 is Saturday.
    var weekday: Int
    /// 0...1439.
    var minuteOfDay: Int
    /// 28...31.
    var daysInMonth: Int

    /// Seconds beyond about ±31 million years are clamped; such instants never come from a clock.
    private static let secondsLimit = 1e15

    init?(_ instant: Date, in zone: TimeZone) {
        let raw = instant.timeIntervalSince1970
        guard !raw.isNaN else { return nil }
        let bounded = min(max(raw, -Self.secondsLimit), Self.secondsLimit)
        let clampedInstant = Date(timeIntervalSince1970: bounded)
        let local = Int(bounded.rounded(.down)) + zone.secondsFromGMT(for: clampedInstant)
        let days = Self.floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        minuteOfDay = secondOfDay / 60
        weekday = Self.floorModulo(days + 4, 7)  // 1970-01-01 was a Thursday.
        (year, month, day) = Self.civilDate(daysSinceEpoch: days)
        daysInMonth = Self.daysIn(month: month, year: year)
    }

    static func daysIn(month: Int, year: Int) -> Int {
        switch month {
        case 2:
            let leap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
            return leap ? 29 : 28
        case 4, 6, 9, 11:
            return 30
        default:
            return 31
        }
    }

    /// Year, month and day of a count of days since 1970-01-01 (Howard Hinnant's `civil_from_days`).
    private static func civilDate(daysSinceEpoch: Int) -> (year: Int, month: Int, day: Int) {
        let shifted = daysSinceEpoch + 719_468
        let era = floorDivide(shifted, 146_097)
        let dayOfEra = shifted - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let monthIndex = (5 * dayOfYear + 2) / 153  // 0 is March.
        let day = dayOfYear - (153 * monthIndex + 2) / 5 + 1
        let month = monthIndex < 10 ? monthIndex + 3 : monthIndex - 9
        let year = yearOfEra + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }

    private static func floorDivide(_ lhs: Int, _ rhs: Int) -> Int {
        let quotient = lhs / rhs
        return (lhs % rhs != 0 && (lhs < 0) != (rhs < 0)) ? quotient - 1 : quotient
    }

    private static func floorModulo(_ lhs: Int, _ rhs: Int) -> Int {
        lhs - floorDivide(lhs, rhs) * rhs
    }
}
