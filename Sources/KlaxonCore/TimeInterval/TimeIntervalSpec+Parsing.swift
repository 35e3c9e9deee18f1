import Foundation
import KlaxonGoCompat

/// Parsers for the string forms in alertmanager.yml, with Alertmanager 0.25's validation and messages.
///
/// The config loader reads the YAML and hands each string here; a thrown `TimeIntervalError`'s `description` is
/// what Alertmanager would print for the same value.
extension TimeIntervalSpec {
    /// Parses one `times` entry: `start_time` and `end_time` as "HH:MM" (00:00 to 23:59, and "24:00").
    ///
    /// Pass an empty string for a missing key.
    public static func parseTimeRange(start: String, end: String) throws(TimeIntervalError) -> TimeRange {
        if start.isEmpty || end.isEmpty { throw .missingTime }
        let startMinute = try minuteOfDay(start)
        let endMinute = try minuteOfDay(end)
        if startMinute >= endMinute { throw .startTimeNotBeforeEndTime }
        return TimeRange(startMinute: startMinute, endMinute: endMinute)
    }

    /// Parses one `weekdays` entry: "monday" or "monday:friday", names in any case.
    public static func parseWeekdayRange(_ input: String) throws(TimeIntervalError) -> InclusiveRange {
        let range = try parseRange(input) { (name) throws(TimeIntervalError) -> Int in
            guard let day = Weekday.number(of: name) else { throw .invalidWeekday(name) }
            return day
        }
        if range.begin > range.end { throw .weekdayStartAfterEnd }
        return range
    }

    /// Parses one `days_of_month` entry: "1", "1:5", "-3:-1", "1:-1"; days are 1...31 or -31...-1.
    ///
    /// As in Alertmanager, a negative start needs a negative end, and a range that would be empty in a 28-day
    /// month is rejected ("28:-1" is, "1:-1" is not).
    public static func parseDayOfMonthRange(_ input: String) throws(TimeIntervalError) -> InclusiveRange {
        let range = try parseRange(input, member: integer)
        for day in [range.begin, range.end] where day == 0 || day < -31 || day > 31 {
            throw .dayOfMonthOutOfRange(day)
        }
        if range.begin < 0 && range.end > 0 { throw .negativeStartPositiveEnd }
        let shortestMonth = 28
        let begin = range.begin < 0 ? shortestMonth + range.begin : range.begin
        let end = range.end < 0 ? shortestMonth + range.end : range.end
        if begin > end { throw .dayOfMonthEndAlwaysBeforeStart(start: range.begin, end: range.end) }
        return range
    }

    /// Parses one `months` entry: "january", "january:march", "12", "1:3" (names in any case).
    ///
    /// Like Alertmanager 0.25, numbers are not checked against 1...12 (such a range just matches fewer months).
    public static func parseMonthRange(_ input: String) throws(TimeIntervalError) -> InclusiveRange {
        let range = try parseRange(input) { (member) throws(TimeIntervalError) -> Int in
            if let month = Month.number(of: member) { return month }
            guard case .success(let number) = GoStrconv.atoi(member) else { throw .invalidMonth(member) }
            return number
        }
        if range.begin > range.end { throw .monthEndBeforeStart(start: range.begin, end: range.end) }
        return range
    }

    /// Parses one `years` entry: "2024" or "2020:2022".
    public static func parseYearRange(_ input: String) throws(TimeIntervalError) -> InclusiveRange {
        let range = try parseRange(input, member: integer)
        if range.begin > range.end { throw .yearEndBeforeStart(start: range.begin, end: range.end) }
        return range
    }

    /// Parses `location` as Go's `time.LoadLocation` does: an IANA name (case-sensitive), "UTC" or "" for UTC,
    /// "Local" for the process's zone.
    ///
    /// Names that Foundation knows but the tz database has no file for (ICU's legacy three-letter IDs such as
    /// "PST", "SystemV/…", custom offsets such as "GMT+1") are rejected, as Alertmanager rejects them.
    public static func parseLocation(_ input: String) throws(TimeIntervalError) -> TimeZone {
        if input.isEmpty || input == "UTC" { return .gmt }
        if input == "Local" { return .current }
        if input.contains("..") || input.hasPrefix("/") || input.hasPrefix("\\") { throw .invalidLocationName }
        guard !Self.isFoundationOnlyZoneName(input), let zone = TimeZone(identifier: input) else {
            throw .unknownTimeZone(input)
        }
        return zone
    }

    // MARK: - Helpers

    /// "HH:MM" with HH 00...23 and MM 00...59, or exactly "24:00".
    private static func minuteOfDay(_ input: String) throws(TimeIntervalError) -> Int {
        if input == "24:00" { return 1440 }
        let bytes = Array(input.utf8)
        let digit = { (index: Int) -> Int? in
            let byte = bytes[index]
            return byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") ? Int(byte - UInt8(ascii: "0")) : nil
        }
        guard bytes.count == 5, bytes[2] == UInt8(ascii: ":"),
            let h1 = digit(0), let h2 = digit(1), let m1 = digit(3), let m2 = digit(4),
            h1 * 10 + h2 < 24, m1 < 6
        else { throw .invalidTimeFormat(input) }
        return (h1 * 10 + h2) * 60 + m1 * 10 + m2
    }

    /// "a" or "a:b", lower-cased first; each side mapped by `member`.
    private static func parseRange(
        _ input: String,
        member: (String) throws(TimeIntervalError) -> Int
    ) throws(TimeIntervalError) -> InclusiveRange {
        let lowered = goLowercased(input)
        guard lowered.contains(":") else { return InclusiveRange(try member(lowered)) }
        let parts = lowered.split(separator: ":", omittingEmptySubsequences: false)
        guard parts.count == 2 else { throw .invalidRangeFormat(lowered) }
        return InclusiveRange(begin: try member(String(parts[0])), end: try member(String(parts[1])))
    }

    private static func integer(_ input: String) throws(TimeIntervalError) -> Int {
        switch GoStrconv.atoi(input) {
        case .success(let value): return value
        case .failure(.syntax): throw .invalidInteger(input, outOfRange: false)
        case .failure(.range): throw .invalidInteger(input, outOfRange: true)
        }
    }

    /// Go's `strings.ToLower`: per-scalar simple lower-casing (U+0130 becomes a plain "i").
    private static func goLowercased(_ input: String) -> String {
        var out = String.UnicodeScalarView()
        for scalar in input.unicodeScalars {
            if scalar == "\u{130}" {
                out.append("i")
            } else {
                out.append(contentsOf: scalar.properties.lowercaseMapping.unicodeScalars)
            }
        }
        return String(out)
    }

    /// ICU accepts some identifiers that are not files in the tz database, so Go (and Alertmanager) reject them.
    private static func isFoundationOnlyZoneName(_ name: String) -> Bool {
        if legacyICUZoneNames.contains(name) || name.hasPrefix("SystemV/") { return true }
        // ICU's custom offset IDs ("GMT+1", "UTC-05:30"); tzdata has only GMT+0 and GMT-0 at the top level.
        if name.hasPrefix("GMT+") || name.hasPrefix("GMT-") || name.hasPrefix("UTC+") || name.hasPrefix("UTC-") {
            return name != "GMT+0" && name != "GMT-0"
        }
        return false
    }

    private static let legacyICUZoneNames: Set<String> = [
        "ACT", "AET", "AGT", "ART", "AST", "BET", "BST", "CAT", "CNT", "CST", "CTT", "EAT", "ECT", "IET", "IST",
        "JST", "MIT", "NET", "NST", "PLT", "PNT", "PRT", "PST", "SST", "VST",
        "Canada/East-Saskatchewan", "US/Pacific-New",
    ]
}

/// Weekday names as Alertmanager spells them (lower case; 0 is Sunday).
public enum Weekday {
    /// "sunday" ... "saturday", indexed by weekday number.
    public static let names = ["sunday", "monday", "tuesday", "wednesday", "thursday", "friday", "saturday"]

    static func number(of name: String) -> Int? {
        names.firstIndex(of: name)
    }
}

/// Month names as Alertmanager spells them (lower case; 1 is January).
enum Month {
    static let names = [
        "january", "february", "march", "april", "may", "june",
        "july", "august", "september", "october", "november", "december",
    ]

    static func number(of name: String) -> Int? {
        names.firstIndex(of: name).map { $0 + 1 }
    }

    /// The name of month `number`, or "" outside 1...12 (what Go's map lookup gives in Alertmanager's message).
    static func name(of number: Int) -> String {
        (1...12).contains(number) ? names[number - 1] : ""
    }
}
