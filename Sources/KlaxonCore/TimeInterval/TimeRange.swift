/// A half-open range of minutes within a day, `[startMinute, endMinute)`; `endMinute` may be 1440 ("24:00").
///
/// Alertmanager's `times: [{start_time: "17:00", end_time: "24:00"}]` entry is `TimeRange(startMinute: 1020,
/// endMinute: 1440)`.
public struct TimeRange: Sendable, Hashable {
    /// First minute of the day inside the range (0 is 00:00).
    public var startMinute: Int
    /// First minute of the day after the range (1440 is 24:00).
    public var endMinute: Int

    /// Creates a range of minutes; no validation (use `TimeIntervalSpec.parseTimeRange` for config input).
    public init(startMinute: Int, endMinute: Int) {
        self.startMinute = startMinute
        self.endMinute = endMinute
    }

    /// Whether the minute of the day lies in `[startMinute, endMinute)`.
    public func contains(minuteOfDay: Int) -> Bool {
        minuteOfDay >= startMinute && minuteOfDay < endMinute
    }
}

/// An inclusive range `begin...end` of weekdays, days of month, months or years, as Alertmanager stores them.
///
/// No invariant is enforced here: the parsers on `TimeIntervalSpec` validate config input the way Alertmanager
/// does, and a range with `begin > end` simply contains nothing.
public struct InclusiveRange: Sendable, Hashable {
    /// First value inside the range.
    public var begin: Int
    /// Last value inside the range.
    public var end: Int

    /// Creates `begin...end`.
    public init(begin: Int, end: Int) {
        self.begin = begin
        self.end = end
    }

    /// Creates the one-value range `value...value`.
    public init(_ value: Int) {
        self.init(begin: value, end: value)
    }

    /// Whether `begin <= value <= end`.
    public func contains(_ value: Int) -> Bool {
        value >= begin && value <= end
    }
}
