import Foundation

/// go-openapi `strfmt.DateTime` parsing, with the error text Alertmanager returns for bad timestamps.
///
/// Accepted (the union of strfmt's layouts, with Go's lenient parsing): `YYYY-MM-DDTHH:MM:SS` with optional
/// fraction (`.` or `,`) and optional zone (`Z`, `±hh:mm`, `±hhmm`); `YYYY-MM-DDTHH:MM` with optional `Z`;
/// `YYYY-MM-DD HH:MM:SS` with optional fraction. Hours may have one digit, as Go's `15` allows.
public enum GoDateTime {
    /// Parses a timestamp; the error is Go's `time.Parse` error against strfmt's last layout.
    public static func parse(_ text: String) -> Result<Date, GoDateTimeError> {
        if text.isEmpty { return .success(Date(timeIntervalSince1970: 0)) }
        if let date = parseAccepted(Array(text.utf8)) { return .success(date) }
        return .failure(GoDateTimeError(message: lastLayoutError(text)))
    }

    private static func digits(_ b: [UInt8], _ at: Int, _ count: Int) -> Int? {
        guard at + count <= b.count else { return nil }
        var value = 0
        for i in at..<(at + count) {
            guard b[i] >= 0x30, b[i] <= 0x39 else { return nil }
            value = value * 10 + Int(b[i] - 0x30)
        }
        return value
    }

    private static func isDigit(_ b: [UInt8], _ at: Int) -> Bool { at < b.count && b[at] >= 0x30 && b[at] <= 0x39 }

    private static func parseAccepted(_ b: [UInt8]) -> Date? {
        guard let year = digits(b, 0, 4), b.count > 4, b[4] == UInt8(ascii: "-"),
            let month = digits(b, 5, 2), b.count > 7, b[7] == UInt8(ascii: "-"),
            let day = digits(b, 8, 2), b.count > 10
        else { return nil }
        let separator = b[10]
        guard separator == UInt8(ascii: "T") || separator == UInt8(ascii: " ") else { return nil }
        var i = 11
        // Hour: one or two digits.
        guard let h1 = digits(b, i, 1) else { return nil }
        var hour = h1
        i += 1
        if let h2 = digits(b, i, 1) {
            hour = h1 * 10 + h2
            i += 1
        }
        guard i < b.count, b[i] == UInt8(ascii: ":"), let minute = digits(b, i + 1, 2) else { return nil }
        i += 3
        var second = 0
        var nanos = 0.0
        var offsetSeconds = 0
        if separator == UInt8(ascii: "T"), i == b.count || (b[i] == UInt8(ascii: "Z") && i + 1 == b.count) {
            // Reduced precision layouts.
        } else {
            guard i < b.count, b[i] == UInt8(ascii: ":"), let s = digits(b, i + 1, 2) else { return nil }
            second = s
            i += 3
            if i + 1 < b.count, b[i] == UInt8(ascii: ".") || b[i] == UInt8(ascii: ","), isDigit(b, i + 1) {
                i += 1
                var scale = 0.1
                while isDigit(b, i) {
                    nanos += Double(b[i] - 0x30) * scale
                    scale /= 10
                    i += 1
                }
            }
            if i < b.count {
                guard separator == UInt8(ascii: "T") else { return nil }
                if b[i] == UInt8(ascii: "Z") {
                    guard i + 1 == b.count else { return nil }
                } else if b[i] == UInt8(ascii: "+") || b[i] == UInt8(ascii: "-") {
                    let sign = b[i] == UInt8(ascii: "-") ? -1 : 1
                    guard let oh = digits(b, i + 1, 2) else { return nil }
                    var om = 0
                    if i + 3 < b.count, b[i + 3] == UInt8(ascii: ":") {
                        guard let m = digits(b, i + 4, 2), i + 6 == b.count else { return nil }
                        om = m
                    } else {
                        guard let m = digits(b, i + 3, 2), i + 5 == b.count else { return nil }
                        om = m
                    }
                    offsetSeconds = sign * (oh * 3600 + om * 60)
                } else {
                    return nil
                }
            }
        }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid, hour < 24, minute < 60, second < 60 else { return nil }
        let days = date.daysSinceEpoch
        let seconds = days * 86_400 + hour * 3600 + minute * 60 + second - offsetSeconds
        return Date(timeIntervalSince1970: Double(seconds) + nanos)
    }

    /// Go's `time.Parse(value, "2006-01-02 15:04:05")` error for a value no layout accepted.
    private static func lastLayoutError(_ text: String) -> String {
        let value = Array(text.utf8)
        let prefix = "parsing time \(GoTime.quote(text))"
        func cannot(_ rest: ArraySlice<UInt8>, _ element: String) -> String {
            "\(prefix) as \"2006-01-02 15:04:05\": cannot parse \(GoTime.quote(String(decoding: rest, as: UTF8.self))) as \"\(element)\""
        }
        var rest = value[...]
        func literal(_ l: UInt8) -> Bool {
            guard rest.first == l else { return false }
            rest = rest.dropFirst()
            return true
        }
        func number(_ fixed: Bool) -> Int? {
            guard let first = rest.first, first >= 0x30, first <= 0x39 else { return nil }
            let second = rest.dropFirst().first
            let hasSecond = second.map { $0 >= 0x30 && $0 <= 0x39 } ?? false
            if !hasSecond {
                if fixed { return nil }
                rest = rest.dropFirst()
                return Int(first - 0x30)
            }
            let result = Int(first - 0x30) * 10 + Int((second ?? 0x30) - 0x30)
            rest = rest.dropFirst(2)
            return result
        }
        // 2006
        guard rest.count >= 4, let year = digits(Array(rest.prefix(4)), 0, 4) else { return cannot(rest, "2006") }
        rest = rest.dropFirst(4)
        guard literal(UInt8(ascii: "-")) else { return cannot(rest, "-") }
        let beforeMonth = rest
        guard let month = number(true) else { return cannot(beforeMonth, "01") }
        if month < 1 || month > 12 { return "\(prefix): month out of range" }
        guard literal(UInt8(ascii: "-")) else { return cannot(rest, "-") }
        let beforeDay = rest
        guard let day = number(true) else { return cannot(beforeDay, "02") }
        if day > 31 { return "\(prefix): day out of range" }
        guard literal(UInt8(ascii: " ")) else { return cannot(rest, " ") }
        let beforeHour = rest
        guard let hour = number(false) else { return cannot(beforeHour, "15") }
        if hour >= 24 { return "\(prefix): hour out of range" }
        guard literal(UInt8(ascii: ":")) else { return cannot(rest, ":") }
        let beforeMinute = rest
        guard let minute = number(true) else { return cannot(beforeMinute, "04") }
        if minute >= 60 { return "\(prefix): minute out of range" }
        guard literal(UInt8(ascii: ":")) else { return cannot(rest, ":") }
        let beforeSecond = rest
        guard let second = number(true) else { return cannot(beforeSecond, "05") }
        if second >= 60 { return "\(prefix): second out of range" }
        if rest.count >= 2, rest.first == UInt8(ascii: ".") || rest.first == UInt8(ascii: ","),
            let d = rest.dropFirst().first, d >= 0x30, d <= 0x39
        {
            rest = rest.dropFirst()
            while let d = rest.first, d >= 0x30, d <= 0x39 { rest = rest.dropFirst() }
        }
        if !rest.isEmpty { return "\(prefix): extra text: \(GoTime.quote(String(decoding: rest, as: UTF8.self)))" }
        if !CivilDate(year: year, month: month, day: day).isValid { return "\(prefix): day out of range" }
        return "\(prefix): cannot parse"
    }
}

/// A timestamp strfmt could not parse; `message` is Go's text.
public struct GoDateTimeError: Error, Equatable {
    /// Go's `time.Parse` error text.
    public let message: String
}
