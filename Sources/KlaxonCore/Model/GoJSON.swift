import Foundation

/// Writes JSON the way Go's `encoding/json` encoder does (compact, HTML-safe escaping of `<`, `>`, `&`,
/// U+2028 and U+2029), so payloads are byte-identical to Alertmanager's.
public struct GoJSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []

    /// Creates an empty writer.
    public init(capacity: Int = 1024) { bytes.reserveCapacity(capacity) }

    /// Appends raw JSON punctuation or literals.
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// `s` as Go's encoder quotes it, as a string (for callers that build text rather than bytes).
    public static func quoted(_ s: String) -> String {
        var writer = GoJSONWriter(capacity: s.utf8.count + 2)
        writer.string(s)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Appends a quoted string.
    public mutating func string(_ s: String) {
        bytes.append(0x22)
        var utf8 = s
        utf8.withUTF8 { buffer in
            var start = 0
            var index = 0
            while index < buffer.count {
                let b = buffer[index]
                if b < 0x20 || b == 0x22 || b == 0x5C || b == 0x3C || b == 0x3E || b == 0x26 {
                    bytes.append(contentsOf: buffer[start..<index])
                    switch b {
                    case 0x22: bytes.append(contentsOf: [0x5C, 0x22])
                    case 0x5C: bytes.append(contentsOf: [0x5C, 0x5C])
                    case 0x0A: bytes.append(contentsOf: [0x5C, 0x6E])
                    case 0x0D: bytes.append(contentsOf: [0x5C, 0x72])
                    case 0x09: bytes.append(contentsOf: [0x5C, 0x74])
                    default:
                        bytes.append(contentsOf: Array("\\u00".utf8))
                        bytes.append(Self.hex[Int(b >> 4)])
                        bytes.append(Self.hex[Int(b & 0xF)])
                    }
                    index += 1
                    start = index
                } else if b == 0xE2, index + 2 < buffer.count, buffer[index + 1] == 0x80,
                    buffer[index + 2] == 0xA8 || buffer[index + 2] == 0xA9
                {
                    bytes.append(contentsOf: buffer[start..<index])
                    bytes.append(contentsOf: Array((buffer[index + 2] == 0xA8 ? "\\u2028" : "\\u2029").utf8))
                    index += 3
                    start = index
                } else {
                    index += 1
                }
            }
            bytes.append(contentsOf: buffer[start..<buffer.count])
        }
        bytes.append(0x22)
    }

    /// Appends an integer.
    public mutating func int(_ n: Int) {
        bytes.append(contentsOf: Array(String(n).utf8))
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ b: Bool) {
        if b { raw("true") } else { raw("false") }
    }

    /// Appends `"key":`.
    public mutating func key(_ k: String) {
        string(k)
        bytes.append(0x3A)
    }

    /// Appends a label set as an object with sorted keys (Go marshals maps sorted).
    public mutating func object(_ labels: LabelSet) {
        bytes.append(0x7B)
        for (index, label) in labels.labels.enumerated() {
            if index > 0 { bytes.append(0x2C) }
            key(label.name)
            string(label.value)
        }
        bytes.append(0x7D)
    }

    /// Appends a time as Go's RFC3339Nano in UTC (`2026-11-22T06:10:39.551642808Z`, trailing zeros trimmed).
    public mutating func timeRFC3339Nano(_ date: Date) {
        string(GoTime.rfc3339Nano(date))
    }

    private static let hex: [UInt8] = Array("0123456789abcdef".utf8)
}

/// Go time formatting without `DateFormatter` (fast, locale-free).
public enum GoTime {
    /// RFC3339 with up to nanosecond fraction, trailing zeros trimmed, UTC `Z`. Dates carry about 0.2 µs of
    /// precision, so the fraction is rounded to microseconds.
    public static func rfc3339Nano(_ date: Date) -> String {
        format(date, fractionDigits: 6, trimZeros: true)
    }

    /// RFC3339 with exactly three fraction digits (`.000Z`), as Alertmanager's API prints times.
    public static func rfc3339Millis(_ date: Date) -> String {
        format(date, fractionDigits: 3, trimZeros: false)
    }

    private static func format(_ date: Date, fractionDigits: Int, trimZeros: Bool) -> String {
        let scale = fractionDigits == 6 ? 1_000_000.0 : 1000.0
        let totalUnits = (date.timeIntervalSince1970 * scale).rounded(.down)
        var seconds = Int64((totalUnits / scale).rounded(.down))
        var fraction = Int64(totalUnits - Double(seconds) * scale)
        if fraction < 0 {
            fraction += Int64(scale)
            seconds -= 1
        }
        let (days, secondOfDay) = floorDivide(seconds, 86_400)
        let (year, month, day) = civil(fromDays: days)
        var out = ""
        out.reserveCapacity(32)
        out += pad(year, 4) + "-" + pad(month, 2) + "-" + pad(day, 2) + "T"
        out += pad(secondOfDay / 3600, 2) + ":" + pad(secondOfDay % 3600 / 60, 2) + ":" + pad(secondOfDay % 60, 2)
        var digits = pad(fraction, fractionDigits)
        if trimZeros {
            while digits.hasSuffix("0") { digits.removeLast() }
        }
        if !digits.isEmpty { out += "." + digits }
        return out + "Z"
    }

    private static func floorDivide(_ a: Int64, _ b: Int64) -> (Int64, Int64) {
        var q = a / b
        var r = a % b
        if r < 0 {
            q -= 1
            r += b
        }
        return (q, r)
    }

    /// Howard Hinnant's days-from-civil inverse.
    private static func civil(fromDays days: Int64) -> (Int64, Int64, Int64) {
        let z = days + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let doe = z - era * 146_097
        let yoe = (doe - doe / 1460 + doe / 36524 - doe / 146_096) / 365
        let y = yoe + era * 400
        let doy = doe - (365 * yoe + yoe / 4 - yoe / 100)
        let mp = (5 * doy + 2) / 153
        let d = doy - (153 * mp + 2) / 5 + 1
        let m = mp < 10 ? mp + 3 : mp - 9
        return (m <= 2 ? y + 1 : y, m, d)
    }

    private static func pad(_ n: Int64, _ width: Int) -> String {
        let s = String(n)
        return s.count >= width ? s : String(repeating: "0", count: width - s.count) + s
    }
}
