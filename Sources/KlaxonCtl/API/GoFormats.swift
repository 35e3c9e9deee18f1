import Foundation
import KlaxonCore

/// Go's `time.ParseDuration` (`1h30m`, `1.5h`, `500ms`) and Prometheus' `model.ParseDuration` (`1d`, `2w`).
public enum GoDuration {
    /// Go's `time.ParseDuration`: a sequence of decimal numbers with units ns, us, µs, ms, s, m, h; `0` alone is
    /// allowed. Negative durations are rejected (no command wants one).
    public static func parse(_ text: String) -> Duration? {
        if text == "0" { return .zero }
        let scalars = Array(text.unicodeScalars)
        var i = 0
        var total = 0.0
        guard !scalars.isEmpty else { return nil }
        if scalars[0] == "+" { i = 1 }
        guard i < scalars.count else { return nil }
        while i < scalars.count {
            let start = i
            while i < scalars.count, ("0"..."9").contains(scalars[i]) || scalars[i] == "." { i += 1 }
            guard i > start, let number = Double(String(String.UnicodeScalarView(scalars[start..<i]))) else {
                return nil
            }
            let unitStart = i
            while i < scalars.count, !("0"..."9").contains(scalars[i]), scalars[i] != "." { i += 1 }
            let unit = String(String.UnicodeScalarView(scalars[unitStart..<i]))
            let seconds: Double
            switch unit {
            case "ns": seconds = 1e-9
            case "us", "µs", "μs": seconds = 1e-6
            case "ms": seconds = 1e-3
            case "s": seconds = 1
            case "m": seconds = 60
            case "h": seconds = 3600
            default: return nil
            }
            total += number * seconds
        }
        return .nanoseconds(Int64((total * 1e9).rounded()))
    }

    /// Prometheus' `model.ParseDuration`: `[Ny][Nw][Nd][Nh][Nm][Ns][Nms]` with integer N, at least one part.
    public static func parsePrometheus(_ text: String) -> Duration? {
        (try? PromDuration(parsing: text))?.duration
    }

    /// Go's `Duration.String()` (`1h0m0s`, `30s`, `1.5s`, `500ms`).
    public static func format(_ duration: Duration) -> String {
        let (seconds, attoseconds) = duration.components
        var nanos = seconds * 1_000_000_000 + attoseconds / 1_000_000_000
        if nanos == 0 { return "0s" }
        let negative = nanos < 0
        if negative { nanos = -nanos }
        var out: String
        if nanos < 1_000_000_000 {
            let (unit, scale): (String, Int64) =
                nanos < 1000 ? ("ns", 1) : nanos < 1_000_000 ? ("µs", 1000) : ("ms", 1_000_000)
            out = fraction(nanos, scale) + unit
        } else {
            let h = nanos / 3_600_000_000_000
            let m = nanos / 60_000_000_000 % 60
            let s = nanos % 60_000_000_000
            out = fraction(s, 1_000_000_000) + "s"
            if h > 0 || m > 0 { out = "\(m)m" + out }
            if h > 0 { out = "\(h)h" + out }
        }
        return negative ? "-" + out : out
    }

    private static func fraction(_ value: Int64, _ scale: Int64) -> String {
        let whole = value / scale
        var frac = value % scale
        guard frac != 0 else { return "\(whole)" }
        var digits = String(scale).count - 1
        while frac % 10 == 0 {
            frac /= 10
            digits -= 1
        }
        let text = String(frac)
        return "\(whole)." + String(repeating: "0", count: digits - text.count) + text
    }
}

/// Go's `time.Time.Format` with a reference-time layout, always in UTC (amtool prints times in UTC).
public enum GoTime {
    /// amtool's default `--date.format`.
    public static let defaultLayout = "2006-01-02 15:04:05 MST"

    private static let months = [
        "January", "February", "March", "April", "May", "June", "July", "August", "September", "October", "November",
        "December",
    ]
    private static let days = ["Sunday", "Monday", "Tuesday", "Wednesday", "Thursday", "Friday", "Saturday"]

    /// Formats `date` in UTC with a Go layout such as `2006-01-02 15:04:05 MST` or `Jan _2 15:04`.
    public static func format(_ date: Date, layout: String) -> String {
        let t = UTCParts(date)
        let chars = Array(layout)
        var out = ""
        var i = 0
        func has(_ token: String) -> Bool {
            let tc = Array(token)
            guard i + tc.count <= chars.count else { return false }
            return Array(chars[i..<(i + tc.count)]) == tc
        }
        func pad(_ v: Int, _ width: Int) -> String {
            let s = String(v)
            return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
        }
        let hour12 = t.hour % 12 == 0 ? 12 : t.hour % 12
        // Longest tokens first, as Go's nextStdChunk.
        let tokens: [(String, () -> String)] = [
            ("January", { months[t.month - 1] }), ("Jan", { String(months[t.month - 1].prefix(3)) }),
            ("Monday", { days[t.weekday] }), ("Mon", { String(days[t.weekday].prefix(3)) }), ("MST", { "UTC" }),
            ("2006", { pad(t.year, 4) }), ("-07:00:00", { "+00:00:00" }), ("-0700", { "+0000" }),
            ("-07:00", { "+00:00" }), ("-07", { "+00" }), ("Z07:00:00", { "Z" }), ("Z0700", { "Z" }),
            ("Z07:00", { "Z" }), ("Z07", { "Z" }), ("002", { pad(Self.dayOfYear(t), 3) }), ("01", { pad(t.month, 2) }),
            ("02", { pad(t.day, 2) }), ("03", { pad(hour12, 2) }), ("04", { pad(t.minute, 2) }),
            ("05", { pad(t.second, 2) }), ("06", { pad(t.year % 100, 2) }), ("15", { pad(t.hour, 2) }),
            ("_2", { t.day < 10 ? " \(t.day)" : "\(t.day)" }), ("PM", { t.hour >= 12 ? "PM" : "AM" }),
            ("pm", { t.hour >= 12 ? "pm" : "am" }), ("1", { "\(t.month)" }), ("2", { "\(t.day)" }),
            ("3", { "\(hour12)" }), ("4", { "\(t.minute)" }), ("5", { "\(t.second)" }),
        ]
        outer: while i < chars.count {
            // Fractional seconds: .000 / ,000 (fixed) and .999 (trimmed), only after a seconds field in Go; accepted
            // anywhere here.
            if chars[i] == "." || chars[i] == ",", i + 1 < chars.count, chars[i + 1] == "0" || chars[i + 1] == "9" {
                let digit = chars[i + 1]
                var j = i + 1
                while j < chars.count, chars[j] == digit { j += 1 }
                if j >= chars.count || !chars[j].isNumber {
                    let count = j - i - 1
                    var text = pad(t.nanosecond, 9).prefix(count)
                    if digit == "9" { while text.last == "0" { text.removeLast() } }
                    if !text.isEmpty { out += String(chars[i]) + text }
                    i = j
                    continue
                }
            }
            for (token, render) in tokens where has(token) {
                out += render()
                i += token.count
                continue outer
            }
            out.append(chars[i])
            i += 1
        }
        return out
    }

    private static func dayOfYear(_ t: UTCParts) -> Int {
        RFC3339.daysFromCivil(year: t.year, month: t.month, day: t.day)
            - RFC3339.daysFromCivil(year: t.year, month: 1, day: 1) + 1
    }
}

/// A value that did not parse, with Go's message (`time: unknown unit "x" in duration "5x"`).
public struct GoParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Go's message.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

extension GoDuration {
    /// ``parse(_:)`` with Go's error messages.
    public static func parseOrThrow(_ text: String) throws(GoParseError) -> Duration {
        if let duration = parse(text) { return duration }
        let quoted = "\"\(text)\""
        let body = text.hasPrefix("+") || text.hasPrefix("-") ? text.dropFirst() : Substring(text)
        guard let first = body.unicodeScalars.first, ("0"..."9").contains(first) || first == "." else {
            throw GoParseError("time: invalid duration \(quoted)")
        }
        let units = body.split(whereSeparator: { $0.isNumber || $0 == "." })
        if units.isEmpty { throw GoParseError("time: missing unit in duration \(quoted)") }
        for unit in units where !["ns", "us", "µs", "μs", "ms", "s", "m", "h"].contains(String(unit)) {
            throw GoParseError("time: unknown unit \"\(unit)\" in duration \(quoted)")
        }
        throw GoParseError("time: invalid duration \(quoted)")
    }

    /// ``parsePrometheus(_:)`` with Prometheus' error message.
    public static func parsePrometheusOrThrow(_ text: String) throws(GoParseError) -> Duration {
        guard let duration = parsePrometheus(text) else {
            throw GoParseError("not a valid duration string: \"\(text)\"")
        }
        return duration
    }
}

extension GoTime {
    /// Go's `time.Parse(time.RFC3339, text)`, with its error messages
    /// (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`). With `quoted`, the layout
    /// is wrapped in `"` as `time.Time.UnmarshalJSON` parses a raw JSON token (Go 1.19).
    public static func parseRFC3339(_ text: String, quoted: Bool = false) throws(GoParseError) -> Date {
        let layout = quoted ? #""2006-01-02T15:04:05Z07:00""# : "2006-01-02T15:04:05Z07:00"
        var rest = Substring(text)
        func bad(_ element: String) -> GoParseError {
            GoParseError(
                "parsing time \(GoQuote.quote(text)) as \(GoQuote.quote(layout)): cannot parse "
                    + "\(GoQuote.quote(String(rest))) as \(GoQuote.quote(element))")
        }
        func range(_ field: String) -> GoParseError {
            GoParseError("parsing time \(GoQuote.quote(text)): \(field) out of range")
        }
        func literal(_ s: String) throws(GoParseError) {
            guard rest.hasPrefix(s) else { throw bad(s) }
            rest = rest.dropFirst(s.count)
        }
        func number(_ element: String, minDigits: Int, maxDigits: Int) throws(GoParseError) -> Int {
            let digits = rest.prefix(maxDigits).prefix { $0.isASCII && $0.isNumber }
            guard digits.count >= minDigits, let value = Int(digits) else { throw bad(element) }
            rest = rest.dropFirst(digits.count)
            return value
        }
        if quoted { try literal("\"") }
        let year = try number("2006", minDigits: 4, maxDigits: 4)
        try literal("-")
        let month = try number("01", minDigits: 2, maxDigits: 2)
        guard (1...12).contains(month) else { throw range("month") }
        try literal("-")
        let day = try number("02", minDigits: 2, maxDigits: 2)
        try literal("T")
        let hour = try number("15", minDigits: 1, maxDigits: 2)
        guard hour < 24 else { throw range("hour") }
        try literal(":")
        let minute = try number("04", minDigits: 2, maxDigits: 2)
        guard minute < 60 else { throw range("minute") }
        try literal(":")
        let second = try number("05", minDigits: 2, maxDigits: 2)
        guard second < 60 else { throw range("second") }
        var fraction = 0.0
        if let sep = rest.first, sep == "." || sep == ",", rest.dropFirst().first?.isNumber == true {
            let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            fraction = Double("0." + digits) ?? 0
            rest = rest.dropFirst(1 + digits.count)
        }
        var offset = 0
        if rest.hasPrefix("Z") {
            rest = rest.dropFirst()
        } else {
            let chars = Array(rest.prefix(6))
            guard chars.count == 6, chars[0] == "+" || chars[0] == "-", chars[3] == ":",
                let h = Int(String(chars[1...2])), let m = Int(String(chars[4...5]))
            else { throw bad("Z07:00") }
            offset = (h * 3600 + m * 60) * (chars[0] == "-" ? -1 : 1)
            rest = rest.dropFirst(6)
        }
        if quoted { try literal("\"") }
        guard rest.isEmpty else {
            throw GoParseError("parsing time \(GoQuote.quote(text)): extra text: \(GoQuote.quote(String(rest)))")
        }
        let monthDays = [
            31, year % 4 == 0 && (year % 100 != 0 || year % 400 == 0) ? 29 : 28, 31, 30, 31, 30, 31, 31,
            30, 31, 30, 31,
        ]
        guard day >= 1, day <= monthDays[month - 1] else { throw range("day") }
        let days = RFC3339.daysFromCivil(year: year, month: month, day: day)
        let seconds = days * 86400 + hour * 3600 + minute * 60 + second - offset
        return Date(timeIntervalSince1970: Double(seconds) + fraction)
    }
}
