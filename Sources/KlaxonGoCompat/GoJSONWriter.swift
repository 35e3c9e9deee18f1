import Foundation

/// Writes JSON the way Go's `encoding/json` encoder does: compact, strings escaped as Go escapes them (`\n`,
/// `\r`, `\t`, other control characters as `\u00XX`, U+2028 and U+2029 as `\u2028`/`\u2029`, and with
/// `escapeHTML` also `<`, `>`, `&` as `\u003c`...), so that bodies are byte-identical to Alertmanager's.
public struct GoJSONWriter: Sendable {
    /// The bytes written so far.
    public private(set) var bytes: [UInt8] = []
    /// Go's `json.Marshal` escapes `<`, `>` and `&`; an `Encoder` with `SetEscapeHTML(false)` does not.
    public var escapeHTML: Bool

    /// Creates an empty writer.
    public init(capacity: Int = 1024, escapeHTML: Bool = true) {
        bytes.reserveCapacity(capacity)
        self.escapeHTML = escapeHTML
    }

    /// Forgets what was written, keeping the capacity, so one writer serves value after value.
    public mutating func removeAll() {
        bytes.removeAll(keepingCapacity: true)
    }

    private static let hexDigits: [UInt8] = Array("0123456789abcdef".utf8)

    /// `s` as Go's `json.Marshal` quotes it, as a string (for callers that build text rather than bytes);
    /// `escapeHTML: false` as an `Encoder` with `SetEscapeHTML(false)` does.
    public static func quoted(_ s: String, escapeHTML: Bool = true) -> String {
        var writer = GoJSONWriter(capacity: s.utf8.count + 2, escapeHTML: escapeHTML)
        writer.string(s)
        return String(decoding: writer.bytes, as: UTF8.self)
    }

    /// Appends raw JSON punctuation or literals.
    public mutating func raw(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    /// Appends one raw byte.
    public mutating func raw(_ byte: UInt8) {
        bytes.append(byte)
    }

    /// Appends text that is already JSON (a number, a pre-rendered value).
    public mutating func rawString(_ s: String) {
        bytes.append(contentsOf: s.utf8)
    }

    /// Appends a quoted, escaped string.
    public mutating func string(_ s: String) {
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

    /// Appends an integer.
    public mutating func int(_ n: Int) {
        rawString(String(n))
    }

    /// Appends `true` or `false`.
    public mutating func bool(_ b: Bool) {
        if b { raw("true") } else { raw("false") }
    }

    /// Appends `"key":`.
    public mutating func key(_ k: String) {
        string(k)
        bytes.append(UInt8(ascii: ":"))
    }

    /// Appends a list of strings; `[]` when empty.
    public mutating func stringArray(_ values: [String]) {
        raw(UInt8(ascii: "["))
        for (index, value) in values.enumerated() {
            if index > 0 { raw(UInt8(ascii: ",")) }
            string(value)
        }
        raw(UInt8(ascii: "]"))
    }

    /// Appends a time as Go's `time.RFC3339Nano` in UTC (`"2026-11-22T06:10:39.551642Z"`), as `time.Time`
    /// marshals.
    public mutating func timeRFC3339Nano(_ date: Date) {
        string(GoTime.rfc3339Nano(date))
    }

    /// Appends a time in UTC with milliseconds (`"2026-11-22T06:13:19.357Z"`), as go-openapi's
    /// `strfmt.DateTime` marshals.
    public mutating func timeRFC3339Millis(_ date: Date) {
        string(GoTime.rfc3339Millis(date))
    }
}
