import Foundation

/// Go's `time.Time`: an instant with nanosecond precision and a zone (offset and name).
///
/// Rounding rule for `Date`: a `Date` is a `Double` of seconds since 2001, about 0.24 µs apart for today's
/// instants, so a time written as `.357` may be stored as `.35699999...`. ``init(_:)`` rounds to the nearest
/// microsecond (the finest digit a `Date` still holds exactly) and keeps that as nanoseconds; formatting then
/// truncates to the layout's digits as Go does (`.000` shows milliseconds, never rounded up). Flooring directly
/// to milliseconds would print `.356` for a time that Alertmanager stored as `.357`.
public struct GoTime: Sendable, Hashable, CustomStringConvertible {
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

    /// A UTC time from a `Date`, rounded to the nearest microsecond (see the type's documentation).
    public init(date: Date) {
        let micros = Int64((date.timeIntervalSince1970 * 1_000_000).rounded())
        var secs = micros / 1_000_000
        var rest = micros % 1_000_000
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
    public var utc: GoTime { GoTime(seconds: seconds, nanoseconds: nanoseconds) }

    /// The wall-clock fields of a time in its zone.
    public struct Fields: Sendable, Hashable {
        /// The calendar date.
        public var date: CivilDate
        /// 0...23.
        public var hour: Int
        /// 0...59.
        public var minute: Int
        /// 0...59.
        public var second: Int
        /// 0 is Sunday ... 6 is Saturday.
        public var weekday: Int
        /// 1...366.
        public var yearDay: Int
    }

    /// The wall-clock fields in this time's zone.
    public var fields: Fields {
        let local = Int(seconds) + utcOffset
        let days = CivilDate.floorDivide(local, 86_400)
        let secondOfDay = local - days * 86_400
        let date = CivilDate(daysSinceEpoch: days)
        return Fields(
            date: date, hour: secondOfDay / 3600, minute: secondOfDay % 3600 / 60, second: secondOfDay % 60,
            weekday: CivilDate.weekday(daysSinceEpoch: days), yearDay: date.yearDay)
    }

    /// Go's `time.Time.String()`: `2006-01-02 15:04:05.999999999 -0700 MST`.
    public var description: String {
        format("2006-01-02 15:04:05.999999999 -0700 MST")
    }

    /// `date` as Go's `time.RFC3339Nano` in UTC (`2026-11-22T06:10:39.551642Z`, trailing zeros trimmed).
    public static func rfc3339Nano(_ date: Date) -> String {
        GoTime(date: date).format("2006-01-02T15:04:05.999999999Z07:00")
    }

    /// `date` in UTC with exactly three fraction digits (`2026-11-22T06:13:19.357Z`), as go-openapi's
    /// `strfmt.DateTime` marshals Alertmanager's API times.
    public static func rfc3339Millis(_ date: Date) -> String {
        GoTime(date: date).format("2006-01-02T15:04:05.000Z07:00")
    }

    private static let longMonths = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October",
        "November", "December",
    ]
    private static let longDays = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Go's `time.Time.Format` with a reference-time layout (`2006-01-02 15:04:05.999999999 -0700 MST`,
    /// `Jan _2 15:04`, `Monday`, `.000`, `Z07:00`...); text that is not a layout element is copied.
    public func format(_ layout: String) -> String {
        let fields = self.fields
        let civil = fields.date
        let src = Array(layout.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(src.count + 10)
        var i = 0
        func has(_ text: StaticString) -> Bool {
            let count = text.utf8CodeUnitCount
            guard i + count <= src.count else { return false }
            return text.withUTF8Buffer { $0.elementsEqual(src[i..<i + count]) }
        }
        func put(_ text: String) { out.append(contentsOf: text.utf8) }
        func pad(_ value: Int, _ width: Int, _ fill: UInt8 = 48) {
            // Go's appendInt: a minus sign, then the magnitude padded to `width`.
            if value < 0 { out.append(45) }
            let digits = Array(String(value.magnitude).utf8)
            if digits.count < width { out.append(contentsOf: [UInt8](repeating: fill, count: width - digits.count)) }
            out.append(contentsOf: digits)
        }
        func zone(colon: Bool, seconds: Bool, hoursOnly: Bool, zulu: Bool) {
            if zulu && utcOffset == 0 {
                out.append(90)
                return
            }
            var offset = utcOffset
            out.append(offset < 0 ? 45 : 43)
            offset = abs(offset)
            pad(offset / 3600, 2)
            if hoursOnly { return }
            if colon { out.append(58) }
            pad(offset % 3600 / 60, 2)
            if seconds {
                if colon { out.append(58) }
                pad(offset % 60, 2)
            }
        }
        let hour12 = fields.hour % 12 == 0 ? 12 : fields.hour % 12
        while i < src.count {
            let c = src[i]
            switch c {
            case UInt8(ascii: "J") where has("January"):
                put(Self.longMonths[civil.month - 1]); i += 7
            case UInt8(ascii: "J") where has("Jan"):
                put(String(Self.longMonths[civil.month - 1].prefix(3))); i += 3
            case UInt8(ascii: "M") where has("Monday"):
                put(Self.longDays[fields.weekday]); i += 6
            case UInt8(ascii: "M") where has("Mon"):
                put(String(Self.longDays[fields.weekday].prefix(3))); i += 3
            case UInt8(ascii: "M") where has("MST"):
                if zoneName.isEmpty {
                    zone(colon: false, seconds: false, hoursOnly: false, zulu: false)
                } else {
                    put(zoneName)
                }
                i += 3
            case UInt8(ascii: "0") where has("002"):
                pad(fields.yearDay, 3); i += 3
            case UInt8(ascii: "0") where has("01"): pad(civil.month, 2); i += 2
            case UInt8(ascii: "0") where has("02"): pad(civil.day, 2); i += 2
            case UInt8(ascii: "0") where has("03"): pad(hour12, 2); i += 2
            case UInt8(ascii: "0") where has("04"): pad(fields.minute, 2); i += 2
            case UInt8(ascii: "0") where has("05"): pad(fields.second, 2); i += 2
            case UInt8(ascii: "0") where has("06"): pad(civil.year % 100, 2); i += 2
            case UInt8(ascii: "1") where has("15"): pad(fields.hour, 2); i += 2
            case UInt8(ascii: "1"): put(String(civil.month)); i += 1
            case UInt8(ascii: "2") where has("2006"): pad(civil.year, 4); i += 4
            case UInt8(ascii: "2"): put(String(civil.day)); i += 1
            case UInt8(ascii: "_") where has("_2006"): put("_"); pad(civil.year, 4); i += 5
            case UInt8(ascii: "_") where has("__2"): pad(fields.yearDay, 3, 32); i += 3
            case UInt8(ascii: "_") where has("_2"): pad(civil.day, 2, 32); i += 2
            case UInt8(ascii: "3"): put(String(hour12)); i += 1
            case UInt8(ascii: "4"): put(String(fields.minute)); i += 1
            case UInt8(ascii: "5"): put(String(fields.second)); i += 1
            case UInt8(ascii: "P") where has("PM"): put(fields.hour >= 12 ? "PM" : "AM"); i += 2
            case UInt8(ascii: "p") where has("pm"): put(fields.hour >= 12 ? "pm" : "am"); i += 2
            case UInt8(ascii: "-") where has("-070000"):
                zone(colon: false, seconds: true, hoursOnly: false, zulu: false); i += 7
            case UInt8(ascii: "-") where has("-07:00:00"):
                zone(colon: true, seconds: true, hoursOnly: false, zulu: false); i += 9
            case UInt8(ascii: "-") where has("-0700"):
                zone(colon: false, seconds: false, hoursOnly: false, zulu: false); i += 5
            case UInt8(ascii: "-") where has("-07:00"):
                zone(colon: true, seconds: false, hoursOnly: false, zulu: false); i += 6
            case UInt8(ascii: "-") where has("-07"):
                zone(colon: false, seconds: false, hoursOnly: true, zulu: false); i += 3
            case UInt8(ascii: "Z") where has("Z070000"):
                zone(colon: false, seconds: true, hoursOnly: false, zulu: true); i += 7
            case UInt8(ascii: "Z") where has("Z07:00:00"):
                zone(colon: true, seconds: true, hoursOnly: false, zulu: true); i += 9
            case UInt8(ascii: "Z") where has("Z0700"):
                zone(colon: false, seconds: false, hoursOnly: false, zulu: true); i += 5
            case UInt8(ascii: "Z") where has("Z07:00"):
                zone(colon: true, seconds: false, hoursOnly: false, zulu: true); i += 6
            case UInt8(ascii: "Z") where has("Z07"):
                zone(colon: false, seconds: false, hoursOnly: true, zulu: true); i += 3
            case UInt8(ascii: "."), UInt8(ascii: ","):
                guard i + 1 < src.count, src[i + 1] == 48 || src[i + 1] == 57 else {
                    out.append(c); i += 1
                    continue
                }
                let digit = src[i + 1]
                var j = i + 1
                while j < src.count && src[j] == digit { j += 1 }
                if j < src.count && src[j] >= 48 && src[j] <= 57 {
                    out.append(c); i += 1
                    continue
                }
                let width = min(j - i - 1, 9)
                let nanos = Array(String(nanoseconds).utf8)
                var fraction = ([UInt8](repeating: 48, count: 9 - nanos.count) + nanos).prefix(width)
                if digit == 57 {
                    while let last = fraction.last, last == 48 { fraction.removeLast() }
                    if !fraction.isEmpty {
                        out.append(c)
                        out.append(contentsOf: fraction)
                    }
                } else {
                    out.append(c)
                    out.append(contentsOf: fraction)
                }
                i = j
            default:
                out.append(c); i += 1
            }
        }
        return String(decoding: out, as: UTF8.self)
    }
}
