/// The two pieces of Go's `strconv` whose behaviour shows through Alertmanager's config errors.
enum GoStrconv {
    /// The outcome of Go's `strconv.Atoi` on a 64-bit platform.
    enum AtoiFailure: Error {
        case syntax
        case range
    }

    /// Parses like Go's `strconv.Atoi`: an optional `+` or `-`, then one or more ASCII digits, nothing else
    /// (no spaces, no underscores), within the range of a 64-bit integer.
    static func atoi(_ input: String) -> Result<Int, AtoiFailure> {
        var bytes = Substring(input).utf8[...]
        var negative = false
        if let sign = bytes.first, sign == UInt8(ascii: "+") || sign == UInt8(ascii: "-") {
            negative = sign == UInt8(ascii: "-")
            bytes = bytes.dropFirst()
        }
        guard !bytes.isEmpty else { return .failure(.syntax) }
        // Go reports whichever problem it meets first while scanning: a non-digit, or the unsigned
        // 64-bit accumulator overflowing.
        var magnitude: UInt64 = 0
        for byte in bytes {
            guard byte >= UInt8(ascii: "0"), byte <= UInt8(ascii: "9") else { return .failure(.syntax) }
            let (times10, overflowA) = magnitude.multipliedReportingOverflow(by: 10)
            let (sum, overflowB) = times10.addingReportingOverflow(UInt64(byte - UInt8(ascii: "0")))
            if overflowA || overflowB { return .failure(.range) }
            magnitude = sum
        }
        let limit = UInt64(Int64.max)
        if negative {
            guard magnitude <= limit + 1 else { return .failure(.range) }
            return .success(magnitude == limit + 1 ? Int(Int64.min) : -Int(magnitude))
        }
        guard magnitude <= limit else { return .failure(.range) }
        return .success(Int(magnitude))
    }

    /// Quotes like Go's `strconv.Quote`: printable characters stay, `"` and `\` are escaped, the rest
    /// become `\n`-style, `\xNN`, `\uNNNN` or `\UNNNNNNNN` escapes.
    static func quote(_ input: String) -> String {
        var out = "\""
        for scalar in input.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\u{07}": out += "\\a"
            case "\u{08}": out += "\\b"
            case "\u{0C}": out += "\\f"
            case "\n": out += "\\n"
            case "\r": out += "\\r"
            case "\t": out += "\\t"
            case "\u{0B}": out += "\\v"
            default:
                if isGoPrintable(scalar) {
                    out.unicodeScalars.append(scalar)
                } else if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\x" + hex(scalar.value, width: 2)
                } else if scalar.value < 0x10000 {
                    out += "\\u" + hex(scalar.value, width: 4)
                } else {
                    out += "\\U" + hex(scalar.value, width: 8)
                }
            }
        }
        return out + "\""
    }

    /// Go's `unicode.IsPrint`: letters, marks, numbers, punctuation, symbols and the ASCII space.
    private static func isGoPrintable(_ scalar: Unicode.Scalar) -> Bool {
        if scalar == " " { return true }
        switch scalar.properties.generalCategory {
        case .uppercaseLetter, .lowercaseLetter, .titlecaseLetter, .modifierLetter, .otherLetter,
            .nonspacingMark, .spacingMark, .enclosingMark,
            .decimalNumber, .letterNumber, .otherNumber,
            .connectorPunctuation, .dashPunctuation, .openPunctuation, .closePunctuation,
            .initialPunctuation, .finalPunctuation, .otherPunctuation,
            .mathSymbol, .currencySymbol, .modifierSymbol, .otherSymbol:
            return true
        default:
            return false
        }
    }

    private static func hex(_ value: UInt32, width: Int) -> String {
        let digits = String(value, radix: 16)
        return String(repeating: "0", count: max(0, width - digits.count)) + digits
    }
}
