import Foundation

/// A value that did not parse, with Go's message (`time: unknown unit "x" in duration "5x"`).
public struct GoParseError: Error, Sendable, Hashable, CustomStringConvertible {
    /// Go's message.
    public var description: String
    /// Creates an error.
    public init(_ description: String) { self.description = description }
}

extension GoTime {
    /// Go's `time.Parse(time.RFC3339, text)` (which also accepts a fraction, as `RFC3339Nano`), with its error
    /// messages (`parsing time "x" as "2006-01-02T15:04:05Z07:00": cannot parse "x" as "2006"`). With `quoted`,
    /// the layout is wrapped in `"`, as `time.Time.UnmarshalJSON` parses a raw JSON token (Go 1.19).
    ///
    /// The fraction keeps its first nine digits; a numeric offset is kept with an empty zone name (as Go's
    /// `FixedZone("", offset)`), except that a zero offset is named `UTC`, the local zone of a server.
    public static func parseRFC3339(_ text: String, quoted: Bool = false) throws(GoParseError) -> GoTime {
        let layout = quoted ? #""2006-01-02T15:04:05Z07:00""# : "2006-01-02T15:04:05Z07:00"
        var rest = Substring(text)
        func bad(_ element: String) -> GoParseError {
            GoParseError(
                "parsing time \(quote(text)) as \(quote(layout)): cannot parse \(quote(String(rest))) as "
                    + quote(element))
        }
        func range(_ field: String) -> GoParseError {
            GoParseError("parsing time \(quote(text)): \(field) out of range")
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
        var nanos = 0
        if let sep = rest.first, sep == "." || sep == ",", rest.dropFirst().first?.isASCII == true,
            rest.dropFirst().first?.isNumber == true
        {
            let digits = rest.dropFirst().prefix { $0.isASCII && $0.isNumber }
            // Go's parseNanoseconds: the first nine digits, scaled to nanoseconds.
            for digit in digits.prefix(9).utf8 {
                nanos = nanos * 10 + Int(digit - 48)
            }
            for _ in min(digits.count, 9)..<9 { nanos *= 10 }
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
            throw GoParseError("parsing time \(quote(text)): extra text: \(quote(String(rest)))")
        }
        let date = CivilDate(year: year, month: month, day: day)
        guard date.isValid else { throw range("day") }
        let local = date.daysSinceEpoch * 86_400 + hour * 3600 + minute * 60 + second
        return GoTime(
            seconds: Int64(local - offset), nanoseconds: Int32(nanos), utcOffset: offset,
            zoneName: offset == 0 ? "UTC" : "")
    }

    /// The `time` package's own `quote` for values in its error messages: printable ASCII kept (with `"` and `\`
    /// escaped), every byte of anything else written as `\xNN`. Unlike `strconv.Quote` it never writes `\n`
    /// or `\u00e9`.
    public static func quote(_ text: String) -> String {
        var out = "\""
        for byte in text.utf8 {
            if byte < 0x20 || byte >= 0x80 {
                out += "\\x" + GoQuote.hex(UInt32(byte), width: 2)
            } else {
                if byte == UInt8(ascii: "\"") || byte == UInt8(ascii: "\\") { out += "\\" }
                out.unicodeScalars.append(Unicode.Scalar(byte))
            }
        }
        return out + "\""
    }
}
