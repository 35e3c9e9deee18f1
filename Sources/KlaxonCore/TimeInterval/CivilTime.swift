import Foundation
import KlaxonGoCompat

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
        let days = CivilDate.floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        minuteOfDay = secondOfDay / 60
        weekday = CivilDate.weekday(daysSinceEpoch: days)
        let date = CivilDate(daysSinceEpoch: days)
        (year, month, day) = (date.year, date.month, date.day)
        daysInMonth = CivilDate.daysIn(month: month, year: year)
    }
}
