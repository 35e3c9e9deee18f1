import Foundation

/// Go's `time.Time`: an instant with nanoseconds and a zone (offset and name).
public struct TemplateTime: Sendable, Hashable {
    /// Seconds since the Unix epoch.
    public var seconds: Int64
    /// Nanoseconds within the second, 0..<1_000_000_000.
    public var nanoseconds: Int32
    /// Offset from UTC in seconds.
    public var utcOffset: Int
    /// Zone abbreviation; empty prints the numeric offset, as Go does for unnamed fixed zones.
    public var zoneName: String

    /// Go's zero time, `0001-01-01 00:00:00 +0000 UTC`, as a `Date`.
    public static let goZeroDate = Date(timeIntervalSince1970: -62_135_596_800)

    /// Creates a time from its parts.
    public init(seconds: Int64, nanoseconds: Int32, utcOffset: Int = 0, zoneName: String = "UTC") {
        self.seconds = seconds
        self.nanoseconds = nanoseconds
        self.utcOffset = utcOffset
        self.zoneName = zoneName
    }

    /// Creates a UTC time from a `Date`, rounded to the microsecond (the precision a `Date` holds for today's
    /// instants).
    public init(date: Date) {
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let total = Int64(micros)
        var secs = total / 1_000_000
        var rest = total % 1_000_000
        if rest < 0 {
            rest += 1_000_000
            secs -= 1
        }
        self.init(seconds: secs, nanoseconds: Int32(rest * 1000))
    }

    /// The instant as a `Date`.
    public var date: Date {
        Date(timeIntervalSince1970: Double(seconds) + Double(nanoseconds) / 1e9)
    }

    /// Whether this is Go's zero time.
    public var isZero: Bool { seconds == -62_135_596_800 && nanoseconds == 0 }

    /// The same instant in UTC.
    public var utc: TemplateTime { TemplateTime(seconds: seconds, nanoseconds: nanoseconds) }

    struct Civil {
        var year: Int
        var month: Int
        var day: Int
        var hour: Int
        var minute: Int
        var second: Int
        var weekday: Int  // 0 = Sunday
        var yearDay: Int  // 1-based
    }

    /// The wall clock fields in this time's zone.
    var civil: Civil {
        let local = seconds + Int64(utcOffset)
        var days = local / 86_400
        var secs = local % 86_400
        if secs < 0 {
            secs += 86_400
            days -= 1
        }
        // Howard Hinnant's civil_from_days.
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        var year = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        if month <= 2 { year += 1 }
        let weekday = Int(((days % 7) + 11) % 7)  // 1970-01-01 was a Thursday (4)
        let isLeap = (year % 4 == 0 && year % 100 != 0) || year % 400 == 0
        let cumulative = [0, 31, 59, 90, 120, 151, 181, 212, 243, 273, 304, 334]
        var yearDay = cumulative[Int(month) - 1] + Int(day)
        if isLeap && month > 2 { yearDay += 1 }
        return Civil(
            year: Int(year), month: Int(month), day: Int(day), hour: Int(secs / 3600), minute: Int(secs % 3600 / 60),
            second: Int(secs % 60), weekday: weekday, yearDay: yearDay)
    }

    /// Go's `time.Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
    public var goString: String {
        GoTimeFormat.format(self, layout: "2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// Parses RFC 3339 with optional fractional seconds, keeping the offset (Go's JSON form of `time.Time`).
    static func parseRFC3339(_ text: String) -> TemplateTime? {
        let bytes = Array(text.utf8)
        func number(_ from: Int, _ count: Int) -> Int? {
            guard from + count <= bytes.count else { return nil }
            var value = 0
            for byte in bytes[from..<from + count] {
                guard byte >= 48 && byte <= 57 else { return nil }
                value = value * 10 + Int(byte - 48)
            }
            return value
        }
        guard bytes.count >= 20, let year = number(0, 4), bytes[4] == 45, let month = number(5, 2), bytes[7] == 45,
            let day = number(8, 2), bytes[10] == 84 || bytes[10] == 116 || bytes[10] == 32, let hour = number(11, 2),
            bytes[13] == 58, let minute = number(14, 2), bytes[16] == 58, let second = number(17, 2)
        else { return nil }
        var index = 19
        var nanos = 0
        if index < bytes.count && bytes[index] == 46 {
            index += 1
            var digits = 0
            while index < bytes.count && bytes[index] >= 48 && bytes[index] <= 57 {
                if digits < 9 {
                    nanos = nanos * 10 + Int(bytes[index] - 48)
                    digits += 1
                }
                index += 1
            }
            while digits < 9 {
                nanos *= 10
                digits += 1
            }
        }
        var offset = 0
        var name = "UTC"
        guard index < bytes.count else { return nil }
        if bytes[index] == 90 || bytes[index] == 122 {
            index += 1
        } else if bytes[index] == 43 || bytes[index] == 45, let oh = number(index + 1, 2), bytes.count > index + 3,
            bytes[index + 3] == 58, let om = number(index + 4, 2)
        {
            offset = (oh * 3600 + om * 60) * (bytes[index] == 45 ? -1 : 1)
            name = offset == 0 ? "UTC" : ""
            index += 6
        } else {
            return nil
        }
        guard index == bytes.count else { return nil }
        let days = daysFromCivil(year: year, month: month, day: day)
        let local = Int64(days) * 86_400 + Int64(hour * 3600 + minute * 60 + second)
        return TemplateTime(
            seconds: local - Int64(offset), nanoseconds: Int32(nanos), utcOffset: offset, zoneName: name)
    }

    static func daysFromCivil(year: Int, month: Int, day: Int) -> Int {
        let y = month <= 2 ? year - 1 : year
        let era = (y >= 0 ? y : y - 399) / 400
        let yoe = y - era * 400
        let mp = month > 2 ? month - 3 : month + 9
        let doy = (153 * mp + 2) / 5 + day - 1
        let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy
        return era * 146_097 + doe - 719_468
    }
}
