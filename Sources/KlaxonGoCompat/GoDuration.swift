/// Go's `time.Duration`: a signed count of nanoseconds, parsed by `time.ParseDuration` and printed by
/// `Duration.String()`.
public struct GoDuration: Sendable, Hashable, Comparable, CustomStringConvertible {
    /// Nanoseconds.
    public let nanoseconds: Int64

    /// Creates a duration of `nanoseconds`.
    public init(nanoseconds: Int64) { self.nanoseconds = nanoseconds }

    /// A Swift `Duration`, truncated to whole nanoseconds (saturating beyond about ±292 years).
    public init(_ duration: Duration) {
        let (seconds, attoseconds) = duration.components
        let (scaled, overflow) = seconds.multipliedReportingOverflow(by: 1_000_000_000)
        let (sum, overflow2) = scaled.addingReportingOverflow(attoseconds / 1_000_000_000)
        self.init(nanoseconds: overflow || overflow2 ? (seconds < 0 ? .min : .max) : sum)
    }

    /// As a Swift `Duration`.
    public var duration: Duration { .nanoseconds(nanoseconds) }

    /// Go's `Duration.Seconds()`: the duration as a floating-point number of seconds.
    public var seconds: Double {
        let whole = nanoseconds / 1_000_000_000
        let rest = nanoseconds % 1_000_000_000
        return Double(whole) + Double(rest) / 1e9
    }

    private static let units: [(name: String, nanoseconds: UInt64)] = [
        ("ns", 1), ("us", 1000), ("µs", 1000), ("μs", 1000), ("ms", 1_000_000), ("s", 1_000_000_000),
        ("m", 60_000_000_000), ("h", 3_600_000_000_000),
    ]

    /// Go's `time.ParseDuration`: an optional sign, then one or more decimal numbers, each with an optional
    /// fraction and a unit (`ns`, `us`, `µs`, `ms`, `s`, `m`, `h`), such as `300ms`, `-1.5h` or `2h45m`; `0`
    /// alone needs no unit. Errors carry Go's messages: `time: invalid duration "x"`,
    /// `time: missing unit in duration "1"`, `time: unknown unit "d" in duration "1d"`.
    public init(parsing text: String) throws(GoParseError) {
        let original = text
        var s = Substring(text).utf8[...]
        func invalid() -> GoParseError { GoParseError("time: invalid duration \(GoTime.quote(original))") }
        func isDigit(_ byte: UInt8) -> Bool { byte >= UInt8(ascii: "0") && byte <= UInt8(ascii: "9") }
        var negative = false
        if let sign = s.first, sign == UInt8(ascii: "-") || sign == UInt8(ascii: "+") {
            negative = sign == UInt8(ascii: "-")
            s = s.dropFirst()
        }
        if s.elementsEqual("0".utf8) {
            self.init(nanoseconds: 0)
            return
        }
        guard !s.isEmpty else { throw invalid() }
        let limit: UInt64 = 1 << 63
        var total: UInt64 = 0
        while let first = s.first {
            guard first == UInt8(ascii: ".") || isDigit(first) else { throw invalid() }
            // leadingInt: [0-9]*, failing on overflow.
            var whole: UInt64 = 0
            let before = s.count
            while let byte = s.first, isDigit(byte) {
                guard whole <= limit / 10 else { throw invalid() }
                whole = whole * 10 + UInt64(byte - UInt8(ascii: "0"))
                guard whole <= limit else { throw invalid() }
                s = s.dropFirst()
            }
            let hasWhole = s.count != before
            // leadingFraction: (\.[0-9]*)?, dropping digits that no longer fit.
            var fraction: UInt64 = 0
            var scale = 1.0
            var hasFraction = false
            if s.first == UInt8(ascii: ".") {
                s = s.dropFirst()
                var overflow = false
                while let byte = s.first, isDigit(byte) {
                    hasFraction = true
                    s = s.dropFirst()
                    if overflow { continue }
                    guard fraction <= (limit - 1) / 10 else {
                        overflow = true
                        continue
                    }
                    let next = fraction * 10 + UInt64(byte - UInt8(ascii: "0"))
                    guard next <= limit else {
                        overflow = true
                        continue
                    }
                    fraction = next
                    scale *= 10
                }
            }
            guard hasWhole || hasFraction else { throw invalid() }
            let unitBytes = s.prefix { !(isDigit($0) || $0 == UInt8(ascii: ".")) }
            guard !unitBytes.isEmpty else {
                throw GoParseError("time: missing unit in duration \(GoTime.quote(original))")
            }
            s = s.dropFirst(unitBytes.count)
            let unitName = String(decoding: unitBytes, as: UTF8.self)
            guard let unit = Self.units.first(where: { $0.name == unitName })?.nanoseconds else {
                throw GoParseError(
                    "time: unknown unit \(GoTime.quote(unitName)) in duration \(GoTime.quote(original))")
            }
            guard whole <= limit / unit else { throw invalid() }
            var value = whole * unit
            if fraction > 0 {
                // Go uses float64 here: nanosecond-accurate for fractions of an hour, the largest unit.
                value += UInt64(Double(fraction) * (Double(unit) / scale))
                guard value <= limit else { throw invalid() }
            }
            total += value
            guard total <= limit else { throw invalid() }
        }
        if negative {
            self.init(nanoseconds: total == limit ? .min : -Int64(total))
        } else {
            guard total < limit else { throw invalid() }
            self.init(nanoseconds: Int64(total))
        }
    }

    /// Go's `Duration.String()`: `72h3m0.5s`, `1m30s`, `1.5ms`, `0s`; the largest unit is the hour and
    /// trailing zeros of a fraction are left out.
    public var description: String {
        if nanoseconds == 0 { return "0s" }
        let sign = nanoseconds < 0 ? "-" : ""
        let magnitude = nanoseconds.magnitude
        func fraction(_ value: UInt64, _ digits: Int) -> String {
            var scale: UInt64 = 1
            for _ in 0..<digits { scale *= 10 }
            var text = String(value / scale)
            let rest = String(value % scale)
            var fractionDigits = String(repeating: "0", count: digits - rest.count) + rest
            while fractionDigits.hasSuffix("0") { fractionDigits.removeLast() }
            if !fractionDigits.isEmpty { text += "." + fractionDigits }
            return text
        }
        if magnitude < 1000 { return sign + String(magnitude) + "ns" }
        if magnitude < 1_000_000 { return sign + fraction(magnitude, 3) + "µs" }
        if magnitude < 1_000_000_000 { return sign + fraction(magnitude, 6) + "ms" }
        var text = fraction(magnitude % 60_000_000_000, 9) + "s"
        let minutes = magnitude / 60_000_000_000
        if minutes > 0 {
            text = String(minutes % 60) + "m" + text
            let hours = minutes / 60
            if hours > 0 { text = String(hours) + "h" + text }
        }
        return sign + text
    }

    /// Orders by length.
    public static func < (lhs: GoDuration, rhs: GoDuration) -> Bool { lhs.nanoseconds < rhs.nanoseconds }
}
