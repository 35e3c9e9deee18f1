import KlaxonGoCompat

/// A Prometheus duration (`model.Duration`): `1h30m`, `90s`, `1d`, `1w`, `1y`, `500ms`, `0s`.
public struct PromDuration: Hashable, Comparable, Sendable, CustomStringConvertible {
    /// Milliseconds; Prometheus durations have millisecond resolution.
    public let milliseconds: Int64

    /// Creates a duration of `milliseconds`.
    public init(milliseconds: Int64) { self.milliseconds = milliseconds }

    /// Creates a duration of whole seconds.
    public static func seconds(_ s: Int64) -> PromDuration { PromDuration(milliseconds: s * 1000) }
    /// Creates a duration of whole minutes.
    public static func minutes(_ m: Int64) -> PromDuration { PromDuration(milliseconds: m * 60_000) }
    /// Creates a duration of whole hours.
    public static func hours(_ h: Int64) -> PromDuration { PromDuration(milliseconds: h * 3_600_000) }

    /// The zero duration.
    public static let zero = PromDuration(milliseconds: 0)

    /// Seconds as a floating-point number.
    public var seconds: Double { Double(milliseconds) / 1000 }

    /// As a Swift `Duration`.
    public var duration: Duration { .milliseconds(milliseconds) }

    private static let units: [(String, Int64)] = [
        ("y", 365 * 24 * 3_600_000), ("w", 7 * 24 * 3_600_000), ("d", 24 * 3_600_000),
        ("h", 3_600_000), ("m", 60_000), ("s", 1000), ("ms", 1),
    ]

    /// Parses Prometheus' grammar `((\d+)y)?((\d+)w)?((\d+)d)?((\d+)h)?((\d+)m)?((\d+)s)?((\d+)ms)?`
    /// (units in that order, each at most once, at least one; `0` alone is allowed).
    public init(parsing text: String) throws(PromDurationError) {
        if text == "0" {
            self.init(milliseconds: 0)
            return
        }
        guard !text.isEmpty else { throw PromDurationError(text: text) }
        let bytes = Array(text.utf8)
        var index = 0
        var nextUnit = 0
        var total: Int64 = 0
        while index < bytes.count {
            var number: Int64 = 0
            let start = index
            while index < bytes.count, bytes[index] >= 0x30, bytes[index] <= 0x39 {
                let (m, o1) = number.multipliedReportingOverflow(by: 10)
                let (a, o2) = m.addingReportingOverflow(Int64(bytes[index] - 0x30))
                guard !o1, !o2 else { throw PromDurationError(text: text) }
                number = a
                index += 1
            }
            guard index > start else { throw PromDurationError(text: text) }
            var unitEnd = index
            while unitEnd < bytes.count, !(bytes[unitEnd] >= 0x30 && bytes[unitEnd] <= 0x39) { unitEnd += 1 }
            let unit = String(decoding: bytes[index..<unitEnd], as: UTF8.self)
            guard let position = Self.units.firstIndex(where: { $0.0 == unit }), position >= nextUnit else {
                throw PromDurationError(text: text)
            }
            nextUnit = position + 1
            let (product, overflow) = number.multipliedReportingOverflow(by: Self.units[position].1)
            guard !overflow else { throw PromDurationError(text: text) }
            let (sum, overflow2) = total.addingReportingOverflow(product)
            guard !overflow2 else { throw PromDurationError(text: text) }
            total = sum
            index = unitEnd
        }
        self.init(milliseconds: total)
    }

    /// Prometheus' `Duration.String()`: largest units first, zero units omitted, `0s` for zero.
    public var description: String {
        var ms = milliseconds
        if ms == 0 { return "0s" }
        var out = ""
        if ms < 0 {
            out = "-"
            ms = -ms
        }
        for (unit, size) in Self.units {
            let count = ms / size
            if count > 0 {
                out += "\(count)\(unit)"
                ms -= count * size
            }
        }
        return out
    }

    /// Orders by length.
    public static func < (lhs: PromDuration, rhs: PromDuration) -> Bool { lhs.milliseconds < rhs.milliseconds }
}

/// A string that is not a Prometheus duration.
public struct PromDurationError: Error, Hashable, Sendable, CustomStringConvertible {
    /// The text that failed to parse.
    public let text: String

    /// `not a valid duration string: "x"`, Prometheus' wording.
    public var description: String { "not a valid duration string: \(GoQuote.quote(text))" }
}
