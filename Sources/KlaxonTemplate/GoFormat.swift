import Foundation
import KlaxonGoCompat

/// Go's `fmt` package, for the value types templates handle.
enum GoFormat {
    /// The largest width or precision Go's fmt accepts (`tooLarge`).
    static let maxWidth = 1_000_000

    /// Shortest round-trip decimal digits and the decimal point position: value = 0.DIGITS x 10^point.
    static func shortestDigits(_ value: Double) -> (digits: [UInt8], point: Int) {
        let text = "\(abs(value))"
        var mantissa = Substring(text)
        var exponent = 0
        if let e = text.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = text[..<e]
            exponent = Int(text[text.index(after: e)...]) ?? 0
        }
        var digits: [UInt8] = []
        var point = 0
        var seenPoint = false
        for char in mantissa.utf8 {
            if char == 46 {
                seenPoint = true
                continue
            }
            digits.append(char)
            if !seenPoint { point += 1 }
        }
        while let first = digits.first, first == 48, digits.count > 1 {
            digits.removeFirst()
            point -= 1
        }
        while let last = digits.last, last == 48, digits.count > 1 { digits.removeLast() }
        if digits == [48] { return ([48], 1) }
        return (digits, point + exponent)
    }

    /// `strconv.FormatFloat(v, 'g', -1, 64)`, as `%v` prints a float64.
    static func formatFloatShortest(_ value: Double) -> String {
        if value.isNaN { return "NaN" }
        if value.isInfinite { return value < 0 ? "-Inf" : "+Inf" }
        let sign = value.sign == .minus ? "-" : ""
        if value == 0 { return sign + "0" }
        let (digits, point) = shortestDigits(value)
        let exp = point - 1
        let body: String
        if exp < -4 || exp >= 6 {
            var mant = String(decoding: digits.prefix(1), as: UTF8.self)
            if digits.count > 1 { mant += "." + String(decoding: digits.dropFirst(), as: UTF8.self) }
            let expSign = exp < 0 ? "-" : "+"
            let expAbs = abs(exp)
            body = mant + "e" + expSign + (expAbs < 10 ? "0" : "") + String(expAbs)
        } else if point <= 0 {
            body = "0." + String(repeating: "0", count: -point) + String(decoding: digits, as: UTF8.self)
        } else if point >= digits.count {
            body = String(decoding: digits, as: UTF8.self) + String(repeating: "0", count: point - digits.count)
        } else {
            body =
                String(decoding: digits.prefix(point), as: UTF8.self) + "."
                + String(decoding: digits.dropFirst(point), as: UTF8.self)
        }
        return sign + body
    }

    /// `fmt.Sprint(value)`-style `%v` of one value.
    static func plain(_ value: TemplateValue) -> String {
        var out = ""
        writeVerb(value, verb: "v", into: &out, depth: 0)
        return out
    }

    /// What a template prints for an action's value: `<no value>` for nil, else `%v`.
    static func printed(_ value: TemplateValue) -> String {
        switch value.storage {
        case .invalid: return "<no value>"
        case .string(let text): return text
        default: return plain(value)
        }
    }

    /// `fmt.Sprint`.
    static func sprint(_ args: [TemplateValue]) -> String {
        var out = ""
        var previousString = false
        for (index, arg) in args.enumerated() {
            let isString: Bool
            if case .string = arg.storage { isString = true } else { isString = false }
            if index > 0 && !isString && !previousString { out += " " }
            out += plainOrNil(arg)
            previousString = isString
        }
        return out
    }

    /// `fmt.Sprintln`.
    static func sprintln(_ args: [TemplateValue]) -> String {
        args.map(plainOrNil).joined(separator: " ") + "\n"
    }

    static func plainOrNil(_ value: TemplateValue) -> String {
        if case .invalid = value.storage { return "<nil>" }
        return plain(value)
    }

    struct Spec {
        var minus = false
        var plus = false
        var sharp = false
        var space = false
        var zero = false
        var width: Int?
        var precision: Int?
    }

    /// `fmt.Sprintf`.
    static func sprintf(_ format: String, _ args: [TemplateValue]) -> String {
        var out = ""
        let chars = Array(format.unicodeScalars)
        var i = 0
        var argIndex = 0
        while i < chars.count {
            let c = chars[i]
            if c != "%" {
                out.unicodeScalars.append(c)
                i += 1
                continue
            }
            i += 1
            var spec = Spec()
            flags: while i < chars.count {
                switch chars[i] {
                case "-": spec.minus = true
                case "+": spec.plus = true
                case "#": spec.sharp = true
                case " ": spec.space = true
                case "0": spec.zero = true
                default: break flags
                }
                i += 1
            }
            // A width or precision beyond Go's limit (1e6) is ignored as Go's fmt ignores it; written out, the rest of
            // the format is then consumed (`%!(NOVERB)`). Without the limit, `%99999999999999999999d` overflowed.
            func number() -> Int? {
                if i < chars.count && chars[i] == "*" {
                    i += 1
                    if argIndex < args.count, case .int(let value) = args[argIndex].storage {
                        argIndex += 1
                        return value > GoFormat.maxWidth || value < -GoFormat.maxWidth ? nil : value
                    }
                    argIndex += 1
                    return nil
                }
                var value: Int?
                while i < chars.count, let digit = Int(String(chars[i])), chars[i].isASCII {
                    if let value, value > GoFormat.maxWidth {
                        i = chars.count
                        return nil
                    }
                    value = (value ?? 0) * 10 + digit
                    i += 1
                }
                return value
            }
            spec.width = number()
            if let width = spec.width, width < 0 {
                spec.minus = true
                spec.width = -width
            }
            if i < chars.count && chars[i] == "." {
                i += 1
                spec.precision = number() ?? 0
            }
            guard i < chars.count else {
                out += "%!(NOVERB)"
                break
            }
            let verb = chars[i]
            i += 1
            if verb == "%" {
                out += "%"
                continue
            }
            guard argIndex < args.count else {
                out += "%!\(verb)(MISSING)"
                continue
            }
            let arg = args[argIndex]
            argIndex += 1
            out += formatOne(arg, verb: verb, spec: spec)
        }
        if argIndex < args.count {
            out += "%!(EXTRA "
            out += args[argIndex...].map { "\($0.typeName)=\(plainOrNil($0))" }.joined(separator: ", ")
            out += ")"
        }
        return out
    }

    private static func pad(_ text: String, _ spec: Spec, numeric: Bool) -> String {
        guard let width = spec.width else { return text }
        let count = text.unicodeScalars.count
        guard count < width else { return text }
        let fill = width - count
        if spec.minus { return text + String(repeating: " ", count: fill) }
        if spec.zero && numeric {
            if let first = text.first, first == "-" || first == "+" || first == " " {
                return String(first) + String(repeating: "0", count: fill) + text.dropFirst()
            }
            return String(repeating: "0", count: fill) + text
        }
        if spec.zero && !numeric { return String(repeating: "0", count: fill) + text }
        return String(repeating: " ", count: fill) + text
    }

    private static func badVerb(_ verb: Unicode.Scalar, _ value: TemplateValue) -> String {
        if case .invalid = value.storage { return "%!\(verb)(<nil>)" }
        return "%!\(verb)(\(value.typeName)=\(plain(value)))"
    }

    private static func signed(_ text: String, _ negative: Bool, _ spec: Spec) -> String {
        if negative { return "-" + text }
        if spec.plus { return "+" + text }
        if spec.space { return " " + text }
        return text
    }

    private static func formatOne(_ value: TemplateValue, verb: Unicode.Scalar, spec: Spec) -> String {
        switch value.storage {
        case .invalid:
            if verb == "v" { return pad("<nil>", spec, numeric: false) }
            if verb == "T" { return pad("<nil>", spec, numeric: false) }
            return badVerb(verb, value)
        case .int(let int):
            let magnitude = int.magnitude
            var body: String
            switch verb {
            case "d", "v": body = String(magnitude)
            case "x": body = String(magnitude, radix: 16)
            case "X": body = String(magnitude, radix: 16).uppercased()
            case "o": body = String(magnitude, radix: 8)
            case "b": body = String(magnitude, radix: 2)
            case "c":
                return pad(
                    Unicode.Scalar(UInt32(truncatingIfNeeded: int)).map { String($0) } ?? "\u{FFFD}", spec,
                    numeric: false)
            case "q":
                let scalar = Unicode.Scalar(UInt32(truncatingIfNeeded: int)) ?? "\u{FFFD}"
                return pad(GoQuote.quoteRune(scalar), spec, numeric: false)
            case "T": return pad("int", spec, numeric: false)
            case "U":
                return pad("U+" + String(magnitude, radix: 16, uppercase: true).leftPadded(4), spec, numeric: false)
            case "e", "E", "f", "F", "g", "G", "s", "t":
                return badVerb(verb, value)
            default: return badVerb(verb, value)
            }
            if let precision = spec.precision, body.count < precision {
                body = String(repeating: "0", count: precision - body.count) + body
            }
            if spec.sharp {
                if verb == "x" { body = "0x" + body }
                if verb == "X" { body = "0X" + body }
                if verb == "o" { body = "0" + body }
            }
            var zeroSpec = spec
            if spec.precision != nil { zeroSpec.zero = false }
            return pad(signed(body, int < 0, spec), zeroSpec, numeric: true)
        case .float(let double):
            switch verb {
            case "v", "g", "G", "e", "E", "f", "F":
                var body: String
                if (verb == "v" || verb == "g" || verb == "G") && spec.precision == nil {
                    body = formatFloatShortest(abs(double))
                    if verb == "G" { body = body.uppercased() }
                } else {
                    let precision = spec.precision ?? 6
                    let cVerb = verb == "F" ? "f" : verb == "v" ? "g" : String(verb)
                    body = String(format: "%.\(precision)\(cVerb)", abs(double))
                }
                if double.isNaN { return pad("NaN", spec, numeric: false) }
                if double.isInfinite { return pad(double < 0 ? "-Inf" : "+Inf", spec, numeric: false) }
                return pad(signed(body, double.sign == .minus, spec), spec, numeric: true)
            case "T": return pad("float64", spec, numeric: false)
            default: return badVerb(verb, value)
            }
        case .bool(let bool):
            switch verb {
            case "v", "t": return pad(bool ? "true" : "false", spec, numeric: false)
            case "T": return pad("bool", spec, numeric: false)
            default: return badVerb(verb, value)
            }
        case .string(let text):
            switch verb {
            case "v", "s":
                var body = text
                if let precision = spec.precision {
                    body = String(String.UnicodeScalarView(text.unicodeScalars.prefix(precision)))
                }
                return pad(body, spec, numeric: false)
            case "q":
                if spec.sharp && !text.contains("`") { return pad("`" + text + "`", spec, numeric: false) }
                return pad(GoQuote.quote(text), spec, numeric: false)
            case "x", "X":
                var body = text.utf8.map { String(format: verb == "x" ? "%02x" : "%02X", $0) }.joined()
                if spec.sharp { body = (verb == "x" ? "0x" : "0X") + body }
                return pad(body, spec, numeric: false)
            case "T": return pad("string", spec, numeric: false)
            default: return badVerb(verb, value)
            }
        case .duration(let nanos):
            switch verb {
            case "v", "s", "x", "X", "q":
                return formatOne(.string(GoDuration(nanoseconds: nanos).description), verb: verb, spec: spec)
            case "T": return pad("time.Duration", spec, numeric: false)
            default: return formatOne(.int(Int(nanos)), verb: verb, spec: spec)
            }
        case .time(let time):
            // time.Time is a Stringer: fmt formats String() for the string verbs.
            switch verb {
            case "v", "s", "x", "X", "q": return formatOne(.string(time.description), verb: verb, spec: spec)
            case "T": return pad("time.Time", spec, numeric: false)
            default: return "%!\(verb)(time.Time=\(time.description))"
            }
        default:
            if verb == "T" { return pad(value.typeName, spec, numeric: false) }
            var out = ""
            writeVerb(value, verb: verb, into: &out, depth: 0, spec: spec)
            return out
        }
    }

    /// Formats composite values element by element, as `fmt` does.
    static func writeVerb(
        _ value: TemplateValue, verb: Unicode.Scalar, into out: inout String, depth: Int, spec: Spec = Spec()
    ) {
        func element(_ inner: TemplateValue) {
            switch inner.storage {
            case .invalid: out += verb == "v" ? "<nil>" : badVerb(verb, inner)
            case .strings, .list, .map, .data, .alert, .alerts, .kv, .pairs, .pair:
                writeVerb(inner, verb: verb, into: &out, depth: depth + 1, spec: spec)
            default: out += formatOne(inner, verb: verb, spec: spec)
            }
        }
        func list(_ items: [TemplateValue]) {
            out += "["
            for (index, item) in items.enumerated() {
                if index > 0 { out += " " }
                element(item)
            }
            out += "]"
        }
        func map(_ entries: [(String, TemplateValue)]) {
            out += "map["
            for (index, entry) in entries.enumerated() {
                if index > 0 { out += " " }
                element(.string(entry.0))
                out += ":"
                element(entry.1)
            }
            out += "]"
        }
        func structure(_ fields: [TemplateValue]) {
            out += "{"
            for (index, field) in fields.enumerated() {
                if index > 0 { out += " " }
                element(field)
            }
            out += "}"
        }
        switch value.storage {
        case .invalid: out += "<nil>"
        case .bool, .int, .float, .string, .time, .duration: out += formatOne(value, verb: verb, spec: spec)
        case .strings, .list, .alerts, .pairs: list(value.sliceElements ?? [])
        case .map, .kv: map(value.sortedMapEntries ?? [])
        case .pair(let pair): structure([.string(pair.name), .string(pair.value)])
        case .alert(let alert): structure(alert.fieldValues)
        case .data(let data): structure(data.fieldValues)
        }
    }
}

extension TemplateAlert {
    /// Go's field order of `template.Alert`.
    var fieldValues: [TemplateValue] {
        [
            .string(status), .kv(labels), .kv(annotations), .time(GoTime(date: startsAt)),
            .time(GoTime(date: endsAt)), .string(generatorURL), .string(fingerprint),
        ]
    }
}

extension TemplateData {
    /// Go's field order of `template.Data`.
    var fieldValues: [TemplateValue] {
        [
            .string(receiver), .string(status), TemplateValue(storage: .alerts(alerts, named: true)),
            .kv(groupLabels), .kv(commonLabels), .kv(commonAnnotations), .string(externalURL),
        ]
    }
}
