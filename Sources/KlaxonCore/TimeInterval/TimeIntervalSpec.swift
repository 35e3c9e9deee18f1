import Foundation

/// One entry of a named time interval (`time_intervals[].time_intervals[]` in alertmanager.yml).
///
/// All present fields must match (AND); within a field any range may match (OR). A field that is `nil` was absent
/// from the config and matches every instant. A field that is present but empty (`weekdays: []`) matches no
/// instant, as in Alertmanager 0.25.
public struct TimeIntervalSpec: Sendable, Hashable {
    /// Minutes of the day, each `[start, end)`.
    public var times: [TimeRange]?
    /// Days of the week, inclusive; 0 is Sunday ... 6 is Saturday.
    public var weekdays: [InclusiveRange]?
    /// Days of the month, inclusive; 1...31, or -31...-1 counted from the end of the month (-1 is the last day).
    public var daysOfMonth: [InclusiveRange]?
    /// Months, inclusive; 1 is January ... 12 is December.
    public var months: [InclusiveRange]?
    /// Years, inclusive.
    public var years: [InclusiveRange]?
    /// The zone in which the instant's wall-clock fields are taken; UTC when `location` is absent.
    public var location: TimeZone

    /// Creates an entry; every field defaults to absent (matches everything) and the location to UTC.
    public init(
        times: [TimeRange]? = nil,
        weekdays: [InclusiveRange]? = nil,
        daysOfMonth: [InclusiveRange]? = nil,
        months: [InclusiveRange]? = nil,
        years: [InclusiveRange]? = nil,
        location: TimeZone = .gmt
    ) {
        self.times = times
        self.weekdays = weekdays
        self.daysOfMonth = daysOfMonth
        self.months = months
        self.years = years
        self.location = location
    }

    /// Whether the instant, read on a wall clock in `location`, matches every present field.
    ///
    /// Times compare whole minutes (seconds are ignored, so 16:59:59 is inside a range ending at 17:00). Negative
    /// days of month count back from the last day of the instant's month in `location`.
    public func contains(_ instant: Date) -> Bool {
        guard let civil = CivilTime(instant, in: location) else { return false }
        if let times, !times.contains(where: { $0.contains(minuteOfDay: civil.minuteOfDay) }) {
            return false
        }
        if let daysOfMonth, !daysOfMonth.contains(where: { Self.dayRange($0, covers: civil) }) {
            return false
        }
        if let months, !months.contains(where: { $0.contains(civil.month) }) {
            return false
        }
        if let weekdays, !weekdays.contains(where: { $0.contains(civil.weekday) }) {
            return false
        }
        if let years, !years.contains(where: { $0.contains(civil.year) }) {
            return false
        }
        return true
    }

    /// Resolves negative days against the month's real length, then compares inclusively.
    ///
    /// Alertmanager also clamps both ends to the month and skips ranges that start after the month's last day;
    /// since the day itself is always within the month, neither changes the outcome of this comparison.
    private static func dayRange(_ range: InclusiveRange, covers civil: CivilTime) -> Bool {
        let begin = range.begin < 0 ? civil.daysInMonth + range.begin + 1 : range.begin
        let end = range.end < 0 ? civil.daysInMonth + range.end + 1 : range.end
        return civil.day >= begin && civil.day <= end
    }
}

/// A named time interval (`time_intervals[]` or the older `mute_time_intervals[]`): it contains an instant when
/// any of its entries does.
///
/// Named so as not to clash with `Foundation.TimeInterval`.
public struct NamedTimeInterval: Sendable, Hashable {
    /// The name routes refer to in `mute_time_intervals` and `active_time_intervals`.
    public var name: String
    /// The entries, ORed; an empty list contains no instant.
    public var intervals: [TimeIntervalSpec]

    /// Creates a named interval.
    public init(name: String, intervals: [TimeIntervalSpec]) {
        self.name = name
        self.intervals = intervals
    }

    /// Whether any entry contains the instant.
    public func contains(_ instant: Date) -> Bool {
        intervals.contains { $0.contains(instant) }
    }
}

/// Why a route's time intervals hold its notifications back at an instant.
public enum TimeIntervalSuppression: Sendable, Hashable {
    /// The route has active time intervals and none holds (their names).
    case outsideActiveTimeIntervals([String])
    /// This mute time interval holds.
    case muteTimeInterval(String)
}

extension Route {
    /// Whether the route's time intervals hold its notifications back at `instant`, in the pipeline's order (active
    /// intervals first, then mute intervals); nil when it may notify. An undefined name never holds.
    public func timeIntervalSuppression(
        at instant: Date, intervals: [String: NamedTimeInterval]
    ) -> TimeIntervalSuppression? {
        if !activeTimeIntervals.isEmpty,
            !activeTimeIntervals.contains(where: { intervals[$0]?.contains(instant) == true })
        {
            return .outsideActiveTimeIntervals(activeTimeIntervals)
        }
        if let mute = muteTimeIntervals.first(where: { intervals[$0]?.contains(instant) == true }) {
            return .muteTimeInterval(mute)
        }
        return nil
    }
}
