import KlaxonGoCompat

/// A `time_intervals` value that Alertmanager would reject.
///
/// `description` is the message Alertmanager 0.25 gives for the same input, so that `klaxon` and
/// `klaxonctl check-config` read the same as `alertmanager` and `amtool check-config`.
public struct TimeIntervalError: Error, Sendable, Hashable, CustomStringConvertible {
    private enum Kind: Sendable, Hashable {
        case missingTime
        case invalidTimeFormat(String)
        case startTimeNotBeforeEndTime
        case invalidRangeFormat(String)
        case invalidInteger(String, outOfRange: Bool)
        case invalidWeekday(String)
        case weekdayStartAfterEnd
        case dayOfMonthOutOfRange(Int)
        case negativeStartPositiveEnd
        case dayOfMonthEndAlwaysBeforeStart(start: Int, end: Int)
        case invalidMonth(String)
        case monthEndBeforeStart(start: Int, end: Int)
        case yearEndBeforeStart(start: Int, end: Int)
        case unknownTimeZone(String)
        case invalidLocationName
    }

    private let kind: Kind

    private init(_ kind: Kind) {
        self.kind = kind
    }

    /// Alertmanager's message for this error.
    public var description: String {
        switch kind {
        case .missingTime:
            return "both start and end times must be provided"
        case .invalidTimeFormat(let input):
            return "couldn't parse timestamp \(input), invalid format"
        case .startTimeNotBeforeEndTime:
            return "start time cannot be equal or greater than end time"
        case .invalidRangeFormat(let input):
            return "couldn't parse range \(input), invalid format"
        case .invalidInteger(let input, let outOfRange):
            let reason = outOfRange ? "value out of range" : "invalid syntax"
            return "strconv.Atoi: parsing \(GoQuote.quote(input)): \(reason)"
        case .invalidWeekday(let input):
            return "\(input) is not a valid weekday"
        case .weekdayStartAfterEnd:
            return "start day cannot be before end day"
        case .dayOfMonthOutOfRange(let day):
            return "\(day) is not a valid day of the month: out of range"
        case .negativeStartPositiveEnd:
            return "end day must be negative if start day is negative"
        case .dayOfMonthEndAlwaysBeforeStart(let start, let end):
            return "end day \(end) is always before start day \(start)"
        case .invalidMonth(let input):
            return "\(input) is not a valid month"
        case .monthEndBeforeStart(let start, let end):
            // Alertmanager prints month names; a number outside 1...12 prints as nothing.
            return "end month \(Month.name(of: end)) is before start month \(Month.name(of: start))"
        case .yearEndBeforeStart(let start, let end):
            return "end year \(end) is before start year \(start)"
        case .unknownTimeZone(let name):
            return "unknown time zone \(name)"
        case .invalidLocationName:
            return "time: invalid location name"
        }
    }
}

extension TimeIntervalError {
    static let missingTime = TimeIntervalError(.missingTime)
    static let startTimeNotBeforeEndTime = TimeIntervalError(.startTimeNotBeforeEndTime)
    static let weekdayStartAfterEnd = TimeIntervalError(.weekdayStartAfterEnd)
    static let negativeStartPositiveEnd = TimeIntervalError(.negativeStartPositiveEnd)
    static let invalidLocationName = TimeIntervalError(.invalidLocationName)

    static func invalidTimeFormat(_ input: String) -> Self { Self(.invalidTimeFormat(input)) }
    static func invalidRangeFormat(_ input: String) -> Self { Self(.invalidRangeFormat(input)) }
    static func invalidInteger(_ input: String, outOfRange: Bool) -> Self {
        Self(.invalidInteger(input, outOfRange: outOfRange))
    }
    static func invalidWeekday(_ input: String) -> Self { Self(.invalidWeekday(input)) }
    static func dayOfMonthOutOfRange(_ day: Int) -> Self { Self(.dayOfMonthOutOfRange(day)) }
    static func dayOfMonthEndAlwaysBeforeStart(start: Int, end: Int) -> Self {
        Self(.dayOfMonthEndAlwaysBeforeStart(start: start, end: end))
    }
    static func invalidMonth(_ input: String) -> Self { Self(.invalidMonth(input)) }
    static func monthEndBeforeStart(start: Int, end: Int) -> Self { Self(.monthEndBeforeStart(start: start, end: end)) }
    static func yearEndBeforeStart(start: Int, end: Int) -> Self { Self(.yearEndBeforeStart(start: start, end: end)) }
    static func unknownTimeZone(_ name: String) -> Self { Self(.unknownTimeZone(name)) }
}
