import KlaxonGoCompat
import Testing

@Suite struct GoDurationTests {
    /// Go: "ParseDuration parses a duration string. A duration string is a possibly signed sequence of decimal
    /// numbers, each with optional fraction and a unit suffix, such as "300ms", "-1.5h" or "2h45m". Valid time
    /// units are "ns", "us" (or "µs"), "ms", "s", "m", "h"."
    static let valid: [(String, Int64)] = [
        ("0", 0), ("-0", 0), ("+0", 0), ("0s", 0), ("30s", 30_000_000_000), ("1h30m", 5_400_000_000_000),
        ("1.5h", 5_400_000_000_000), ("-1.5h", -5_400_000_000_000), ("2h45m", 9_900_000_000_000),
        ("300ms", 300_000_000), ("1us", 1000), ("1µs", 1000), ("1μs", 1000), ("1ns", 1), (".5s", 500_000_000),
        ("1.s", 1_000_000_000), ("1m.5s", 60_500_000_000), ("0.1s", 100_000_000), ("1.000000001s", 1_000_000_001),
        ("9223372036854775807ns", .max), ("-9223372036854775808ns", .min),
    ]

    @Test(arguments: valid)
    func durationsParse(text: String, nanoseconds: Int64) throws {
        #expect(try GoDuration(parsing: text).nanoseconds == nanoseconds)
    }

    /// Go's messages: `time: invalid duration "x"`, `time: missing unit in duration "x"`,
    /// `time: unknown unit "u" in duration "x"`.
    static let invalid: [(String, String)] = [
        ("", #"time: invalid duration """#), ("abc", #"time: invalid duration "abc""#),
        ("5", #"time: missing unit in duration "5""#), ("5x", #"time: unknown unit "x" in duration "5x""#),
        ("1d", #"time: unknown unit "d" in duration "1d""#), (".s", #"time: invalid duration ".s""#),
        ("-", #"time: invalid duration "-""#), ("1h ", #"time: unknown unit "h " in duration "1h ""#),
        ("9223372036854775808ns", #"time: invalid duration "9223372036854775808ns""#),
        ("3000000h", #"time: invalid duration "3000000h""#),
        ("5é", #"time: unknown unit "\xc3\xa9" in duration "5\xc3\xa9""#),
    ]

    @Test(arguments: invalid)
    func badDurationsAreWordedLikeGo(text: String, message: String) {
        #expect(throws: GoParseError(message)) { try GoDuration(parsing: text) }
    }

    /// Go: "String returns a string representing the duration in the form "72h3m0.5s". Leading zero units are
    /// omitted. As a special case, durations less than one second format use a smaller unit (milli-, micro-, or
    /// nanoseconds) to ensure that the leading digit is non-zero. The zero duration formats as 0s."
    static let printed: [(Int64, String)] = [
        (0, "0s"), (1, "1ns"), (1_500, "1.5µs"), (2_000_000, "2ms"), (1_500_000, "1.5ms"), (1_000_000_000, "1s"),
        (1_500_000_000, "1.5s"), (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"),
        (259_380_500_000_000, "72h3m0.5s"), (-1_500_000_000, "-1.5s"), (.min, "-2562047h47m16.854775808s"),
    ]

    @Test(arguments: printed)
    func durationsPrintLikeGo(nanoseconds: Int64, expected: String) {
        #expect(GoDuration(nanoseconds: nanoseconds).description == expected)
    }

    static let swiftDurations: [(Duration, Int64)] = [
        (.seconds(3600), 3_600_000_000_000), (.milliseconds(-1500), -1_500_000_000), (.nanoseconds(7), 7),
        (.seconds(Int64.max), .max),
    ]

    @Test(arguments: swiftDurations)
    func swiftDurationsConvertToNanoseconds(duration: Duration, nanoseconds: Int64) {
        #expect(GoDuration(duration).nanoseconds == nanoseconds)
        if nanoseconds != .max { #expect(GoDuration(duration).duration == duration) }
    }
}
