/// Go's `strconv` quoting: `Quote` (what `%q` prints and what Alertmanager uses to print label sets, matchers
/// and values in messages), `QuoteRune`, `IsPrint` and `Unquote`.
public enum GoQuote {
    /// Go's `strconv.Quote`: `s` in double quotes, with `\a \b \f \n \r \t \v \\ \"` escaped, every other rune
    /// for which ``isPrint(_:)`` is false as `\xNN` (below U+0080), `\uNNNN` (below U+10000) or `\UNNNNNNNN`,
    /// and printable runes kept as they are.
    public static func quote(_ s: String) -> String {
        // Fast path: plain ASCII without anything to escape.
        if s.utf8.allSatisfy({ $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\"") && $0 != UInt8(ascii: "\\") }) {
            return "\"" + s + "\""
        }
        var out = "\""
        out.reserveCapacity(s.utf8.count + 8)
        for scalar in s.unicodeScalars {
            appendEscaped(scalar, quote: "\"", to: &out)
        }
        return out + "\""
    }

    /// Go's `strconv.QuoteRune`: the rune in single quotes, escaped as ``quote(_:)`` escapes, except that `'`
    /// is escaped and `"` is not.
    /// Go's `strconv.CanBackquote`: whether `s` can stand between backquotes unchanged (no backquote, no control
    /// character but tab, no DEL, no byte order mark).
    public static func canBackquote(_ s: String) -> Bool {
        s.unicodeScalars.allSatisfy { scalar in
            scalar == "\t" || (scalar.value >= 0x20 && scalar != "`" && scalar.value != 0x7F && scalar.value != 0xFEFF)
        }
    }

    public static func quoteRune(_ scalar: Unicode.Scalar) -> String {
        var out = "'"
        appendEscaped(scalar, quote: "'", to: &out)
        return out + "'"
    }

    private static func appendEscaped(_ scalar: Unicode.Scalar, quote: Unicode.Scalar, to out: inout String) {
        switch scalar {
        case quote, "\\":
            out += "\\"
            out.unicodeScalars.append(scalar)
        case "\u{07}": out += "\\a"
        case "\u{08}": out += "\\b"
        case "\u{0C}": out += "\\f"
        case "\n": out += "\\n"
        case "\r": out += "\\r"
        case "\t": out += "\\t"
        case "\u{0B}": out += "\\v"
        default:
            if isPrint(scalar) {
                out.unicodeScalars.append(scalar)
            } else if scalar.value < 0x80 {
                out += "\\x" + hex(scalar.value, width: 2)
            } else if scalar.value < 0x10000 {
                out += "\\u" + hex(scalar.value, width: 4)
            } else {
                out += "\\U" + hex(scalar.value, width: 8)
            }
        }
    }

    /// Go's `strconv.IsPrint` (and `unicode.IsPrint`): letters, marks, numbers, punctuation, symbols and the
    /// ASCII space U+0020. Other spaces (U+00A0, U+2000...U+200A, U+3000), line and paragraph separators, and the
    /// categories Cc, Cf, Co, Cs and Cn are not printable.
    ///
    /// The categories come from the Unicode tables of the Swift runtime, which may be a newer Unicode version
    /// than Go 1.19's 13.0.0: a code point assigned since then is printable here and escaped by Go.
    public static func isPrint(_ scalar: Unicode.Scalar) -> Bool {
        if scalar.value < 0x80 { return scalar.value >= 0x20 && scalar.value < 0x7F }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        case .spaceSeparator, .lineSeparator, .paragraphSeparator, .control, .format, .surrogate, .privateUse,
            .unassigned:
            return false
        @unknown default:
            return false
        }
    }

    /// Go's `strconv.Unquote` for `"..."`, `` `...` `` and `'...'`; nil where Go returns an error.
    public static func unquote(_ quoted: String) -> String? {
        let scalars = Array(quoted.unicodeScalars)
        guard scalars.count >= 2, let first = scalars.first, first == scalars[scalars.count - 1] else { return nil }
        let body = scalars[1..<scalars.count - 1]
        if first == "`" {
            guard !body.contains("`") else { return nil }
            var out = String.UnicodeScalarView()
            out.append(contentsOf: body.filter { $0 != "\r" })
            return String(out)
        }
        guard first == "\"" || first == "'" else { return nil }
        var out = String.UnicodeScalarView()
        var index = body.startIndex
        func hex(_ count: Int) -> UInt32? {
            guard body.distance(from: index, to: body.endIndex) >= count else { return nil }
            var value: UInt32 = 0
            for _ in 0..<count {
                guard body[index].isASCII, let digit = UInt32(String(body[index]), radix: 16) else { return nil }
                value = value * 16 + digit
                index = body.index(after: index)
            }
            return value
        }
        while index < body.endIndex {
            let scalar = body[index]
            index = body.index(after: index)
            if scalar == first && first == "\"" { return nil }
            guard scalar == "\\" else {
                out.append(scalar)
                continue
            }
            guard index < body.endIndex else { return nil }
            let escape = body[index]
            index = body.index(after: index)
            switch escape {
            case "a": out.append("\u{07}")
            case "b": out.append("\u{08}")
            case "f": out.append("\u{0C}")
            case "n": out.append("\n")
            case "r": out.append("\r")
            case "t": out.append("\t")
            case "v": out.append("\u{0B}")
            case "\\": out.append("\\")
            case "'" where first == "'": out.append("'")
            case "\"" where first == "\"": out.append("\"")
            case "x":
                guard let value = hex(2), let result = Unicode.Scalar(value) else { return nil }
                out.append(result)
            case "u":
                guard let value = hex(4), let result = Unicode.Scalar(value) else { return nil }
                out.append(result)
            case "U":
                guard let value = hex(8), let result = Unicode.Scalar(value) else { return nil }
                out.append(result)
            case "0"..."7":
                var value = escape.value - 48
                for _ in 0..<2 {
                    guard index < body.endIndex, ("0"..."7").contains(body[index]) else { return nil }
                    value = value * 8 + body[index].value - 48
                    index = body.index(after: index)
                }
                guard value < 256, let result = Unicode.Scalar(value) else { return nil }
                out.append(result)
            default:
                return nil
            }
        }
        if first == "'" && out.count != 1 { return nil }
        return String(out)
    }

    static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
