/// go-logfmt's encoding of a string value, which Alertmanager's default `--log.format=logfmt` lines use (through
/// go-kit's logfmt logger). It is close to, but not, `encoding/json`: no HTML or U+2028/U+2029 escapes, and
/// U+FFFD is always written as `\ufffd`.
public enum GoLogfmt {
    private static let hexDigits = Array("0123456789abcdef")

    /// `value` as go-logfmt writes it after `key=`: bare unless it holds a space, a control character, `=`, `"`
    /// or U+FFFD (an empty value stays empty, `key=`); the word `null` is quoted so that it is not read as nil.
    public static func value(_ value: String) -> String {
        let needsQuotes =
            value == "null"
            || value.unicodeScalars.contains { $0.value <= 0x20 || $0 == "=" || $0 == "\"" || $0 == "\u{FFFD}" }
        return needsQuotes ? quoted(value) : value
    }

    /// go-logfmt's `writeQuotedString`.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\\", "\"":
                out += "\\"
                out.unicodeScalars.append(scalar)
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{FFFD}": out += "\\ufffd"
            default:
                if scalar.value < 0x20 {
                    out += "\\u00"
                    out.append(hexDigits[Int(scalar.value >> 4)])
                    out.append(hexDigits[Int(scalar.value & 0xF)])
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
