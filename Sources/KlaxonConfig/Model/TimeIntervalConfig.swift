import Foundation
import KlaxonCore

/// One entry of a named time interval, as parsed from the config (fields ANDed; an empty list matches all).
/// Ranges are inclusive and already validated with Alertmanager's rules.
public struct TimeIntervalConfig: Sendable, Hashable {
    /// `times`: minutes since midnight, `[start, end)`.
    public var times: [ClosedOpenRange] = []
    /// `weekdays`: 0 = Sunday ... 6 = Saturday, inclusive.
    public var weekdays: [InclusiveRange] = []
    /// `days_of_month`: 1...31 or -31...-1 (from month end), inclusive.
    public var daysOfMonth: [InclusiveRange] = []
    /// `months`: 1...12, inclusive.
    public var months: [InclusiveRange] = []
    /// `years`, inclusive.
    public var years: [InclusiveRange] = []
    /// `location` (IANA name); nil = UTC.
    public var location: String?

    /// A `[start, end)` range of minutes.
    public struct ClosedOpenRange: Sendable, Hashable {
        /// Start minute.
        public var start: Int
        /// End minute (exclusive; up to 1440).
        public var end: Int
    }

    /// An inclusive integer range.
    public struct InclusiveRange: Sendable, Hashable {
        /// First value.
        public var begin: Int
        /// Last value.
        public var end: Int
    }
}

/// Parsers for the time-interval fields with Alertmanager's error messages.
enum TimeIntervalParsing {
    static let weekdayNames = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]
    static let monthNames = [
        "january", "february", "march", "april", "may", "june", "july", "august", "september", "october",
        "november", "december",
    ]

    static func time(_ text: String) -> Int? {
        if text == "24:00" { return 1440 }
        let parts = text.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2, parts[0].count == 2, parts[1].count == 2, let h = Int(parts[0]), let m = Int(parts[1]),
            parts[0].allSatisfy(\.isNumber), parts[1].allSatisfy(\.isNumber), (0..<24).contains(h), (0..<60).contains(m)
        else { return nil }
        return h * 60 + m
    }

    static func timeRange(start: String?, end: String?) throws(TimeIntervalError) -> TimeIntervalConfig.ClosedOpenRange
    {
        guard let start, let end, !start.isEmpty, !end.isEmpty else {
            throw TimeIntervalError("both start and end times must be provided")
        }
        guard let s = time(start) else { throw TimeIntervalError("couldn't parse timestamp \(start), invalid format") }
        guard let e = time(end) else { throw TimeIntervalError("couldn't parse timestamp \(end), invalid format") }
        guard s < e else { throw TimeIntervalError("start time cannot be equal or greater than end time") }
        return .init(start: s, end: e)
    }

    private static func split(_ text: String) -> (String, String) {
        let parts = text.split(separator: ":", maxSplits: 1, omittingEmptySubsequences: false)
        return parts.count == 2 ? (String(parts[0]), String(parts[1])) : (text, text)
    }

    static func weekdays(_ text: String) throws(TimeIntervalError) -> TimeIntervalConfig.InclusiveRange {
        let (a, b) = split(text.lowercased())
        guard let begin = weekdayNames.firstIndex(of: a) else { throw TimeIntervalError("\(a) is not a valid weekday") }
        guard let end = weekdayNames.firstIndex(of: b) else { throw TimeIntervalError("\(b) is not a valid weekday") }
        guard begin <= end else { throw TimeIntervalError("start day cannot be before end day") }
        return .init(begin: begin, end: end)
    }

    static func daysOfMonth(_ text: String) throws(TimeIntervalError) -> TimeIntervalConfig.InclusiveRange {
        let (a, b) = split(text)
        guard let begin = Int(a) else { throw atoi(a) }
        guard let end = Int(b) else { throw atoi(b) }
        for day in [begin, end] where day == 0 || day < -31 || day > 31 {
            throw TimeIntervalError("\(day) is not a valid day of the month: out of range")
        }
        if begin < 0, end > 0 {
            throw TimeIntervalError("end day must be negative if start day is negative")
        }
        if (begin > 0 && end > 0 || begin < 0 && end < 0), begin > end {
            throw TimeIntervalError("end day must be greater than start day")
        }
        return .init(begin: begin, end: end)
    }

    static func months(_ text: String) throws(TimeIntervalError) -> TimeIntervalConfig.InclusiveRange {
        let (a, b) = split(text.lowercased())
        func month(_ s: String) throws(TimeIntervalError) -> Int {
            if let index = monthNames.firstIndex(of: s) { return index + 1 }
            if let n = Int(s), (1...12).contains(n) { return n }
            throw TimeIntervalError("\(s) is not a valid month")
        }
        let begin = try month(a), end = try month(b)
        guard begin <= end else { throw TimeIntervalError("end month \(b) is before start month \(a)") }
        return .init(begin: begin, end: end)
    }

    static func years(_ text: String) throws(TimeIntervalError) -> TimeIntervalConfig.InclusiveRange {
        let (a, b) = split(text)
        guard let begin = Int(a) else { throw atoi(a) }
        guard let end = Int(b) else { throw atoi(b) }
        guard begin <= end else { throw TimeIntervalError("end year \(end) is before start year \(begin)") }
        return .init(begin: begin, end: end)
    }

    /// Go's `strconv.Atoi` failure, which Alertmanager passes through for numeric ranges.
    private static func atoi(_ s: String) -> TimeIntervalError {
        TimeIntervalError("strconv.Atoi: parsing \(GoQuote.quote(s)): invalid syntax")
    }

    static func location(_ text: String) throws(TimeIntervalError) -> String {
        if text == "Local" || text == "UTC" || TimeZone(identifier: text) != nil { return text }
        throw TimeIntervalError("unknown time zone \(text)")
    }
}

/// A time-interval field Alertmanager rejects.
struct TimeIntervalError: Error {
    let message: String
    init(_ message: String) { self.message = message }
}
