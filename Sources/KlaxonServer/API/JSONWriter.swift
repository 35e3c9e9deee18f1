import Foundation
import KlaxonCore

/// A minimal JSON writer that escapes strings as Go's `encoding/json` does (Go 1.19: `\u0008`, `\u000c`,
/// `\u2028`, `\u2029`, and `<`, `>`, `&` as `\u003c`... when `escapeHTML`), so bodies are byte-identical to
/// Alertmanager's.
struct JSONWriter {
    private(set) var bytes: [UInt8] = []
    /// Go's `json.Marshal` escapes HTML characters; Alertmanager's bare-string error bodies do not.
    var escapeHTML = true

    init(capacity: Int = 256, escapeHTML: Bool = true) {
        bytes.reserveCapacity(capacity)
        self.escapeHTML = escapeHTML
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    mutating func raw(_ s: StaticString) {
        bytes.append(contentsOf: UnsafeBufferPointer(start: s.utf8Start, count: s.utf8CodeUnitCount))
    }

    mutating func raw(_ byte: UInt8) {
        bytes.append(byte)
    }

    mutating func rawString(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    mutating func bool(_ value: Bool) {
        if value { raw("true") } else { raw("false") }
    }

    mutating func int(_ value: Int) {
        rawString(String(value))
    }

    /// A quoted, escaped string.
    mutating func string(_ s: String) {
        bytes.append(UInt8(ascii: "\""))
        var s = s
        s.withUTF8 { utf8 in
            var runStart = 0
            var index = 0
            let count = utf8.count
            while index < count {
                let byte = utf8[index]
                if byte >= 0x20, byte != 0x22, byte != 0x5C, byte < 0x80,
                    !(escapeHTML && (byte == 0x3C || byte == 0x3E || byte == 0x26))
                {
                    index += 1
                    continue
                }
                if byte >= 0x80 {
                    // U+2028 and U+2029 (E2 80 A8/A9) are escaped; other non-ASCII is copied.
                    if byte == 0xE2, index + 2 < count, utf8[index + 1] == 0x80, utf8[index + 2] & 0xFE == 0xA8 {
                        bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                        raw(utf8[index + 2] == 0xA8 ? "\\u2028" : "\\u2029")
                        index += 3
                        runStart = index
                    } else {
                        index += 1
                    }
                    continue
                }
                bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<index]))
                switch byte {
                case 0x22: raw("\\\"")
                case 0x5C: raw("\\\\")
                case 0x0A: raw("\\n")
                case 0x0D: raw("\\r")
                case 0x09: raw("\\t")
                default:
                    raw("\\u00")
                    bytes.append(Self.hexDigits[Int(byte >> 4)])
                    bytes.append(Self.hexDigits[Int(byte & 0xF)])
                }
                index += 1
                runStart = index
            }
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: utf8[runStart..<count]))
        }
        bytes.append(UInt8(ascii: "\""))
    }

    /// `"key":`
    mutating func key(_ name: StaticString) {
        raw(UInt8(ascii: "\""))
        raw(name)
        raw("\":")
    }

    /// A label set as a JSON object with keys in byte order (Go sorts map keys).
    mutating func labelSet(_ labels: LabelSet) {
        raw(UInt8(ascii: "{"))
        var first = true
        for label in labels.labels {
            if !first { raw(UInt8(ascii: ",")) }
            first = false
            string(label.name)
            raw(UInt8(ascii: ":"))
            string(label.value)
        }
        raw(UInt8(ascii: "}"))
    }

    /// A list of strings; `[]` when empty.
    mutating func stringArray(_ values: [String]) {
        raw(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { raw(UInt8(ascii: ",")) }
            string(value)
        }
        raw(UInt8(ascii: "]"))
    }

    /// 16 lowercase hex digits.
    mutating func fingerprint(_ fingerprint: Fingerprint) {
        raw(UInt8(ascii: "\""))
        var value = fingerprint.rawValue
        var digits = [UInt8](repeating: 0, count: 16)
        for index in stride(from: 15, through: 0, by: -1) {
            digits[index] = Self.hexDigits[Int(value & 0xF)]
            value >>= 4
        }
        bytes.append(contentsOf: digits)
        raw(UInt8(ascii: "\""))
    }

    /// RFC 3339 UTC with milliseconds, truncated as Go's `.000` layout: `"2026-11-22T06:13:19.357Z"`.
    mutating func timestamp(_ date: Date) {
        raw(UInt8(ascii: "\""))
        RFC3339.appendMillis(date, to: &bytes)
        raw(UInt8(ascii: "\""))
    }
}

/// RFC 3339 formatting without `DateFormatter`.
enum RFC3339 {
    /// Appends `YYYY-MM-DDTHH:MM:SS.mmmZ` (UTC, milliseconds truncated).
    static func appendMillis(_ date: Date, to out: inout [UInt8]) {
        // Round to microseconds first: Date is a Double and `.357` may be stored as `.35699999`.
        let micros = (date.timeIntervalSince1970 * 1_000_000).rounded()
        let totalMillis = Int64((micros / 1000).rounded(.down))
        var seconds = totalMillis / 1000
        var millis = totalMillis % 1000
        if millis < 0 {
            millis += 1000
            seconds -= 1
        }
        var days = seconds / 86_400
        var secondOfDay = seconds % 86_400
        if secondOfDay < 0 {
            secondOfDay += 86_400
            days -= 1
        }
        let (year, month, day) = civil(fromDays: days)
        func two(_ v: Int64) {
            out.append(UInt8(48 + v / 10))
            out.append(UInt8(48 + v % 10))
        }
        let y = max(0, min(9999, year))
        two(y / 100)
        two(y % 100)
        out.append(UInt8(ascii: "-"))
        two(month)
        out.append(UInt8(ascii: "-"))
        two(day)
        out.append(UInt8(ascii: "T"))
        two(secondOfDay / 3600)
        out.append(UInt8(ascii: ":"))
        two(secondOfDay / 60 % 60)
        out.append(UInt8(ascii: ":"))
        two(secondOfDay % 60)
        out.append(UInt8(ascii: "."))
        out.append(UInt8(48 + millis / 100))
        two(millis % 100)
        out.append(UInt8(ascii: "Z"))
    }

    /// The string form of `appendMillis`.
    static func millis(_ date: Date) -> String {
        var out: [UInt8] = []
        appendMillis(date, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Proleptic Gregorian (year, month, day) of a day count since 1970-01-01 (Howard Hinnant's algorithm).
    static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let day = doy - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        let year = yoe + era * 400 + (month <= 2 ? 1 : 0)
        return (year, month, day)
    }
}
