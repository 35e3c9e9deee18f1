import Foundation

extension YAMLValue {
    /// The document as Go's yaml.v2 marshals it: block style, 2-space indentation, sequences in mappings not
    /// indented, long plain and single-quoted scalars folded after column 80.
    public var rendered: String {
        var emitter = YAMLEmitter()
        emitter.emitDocument(self)
        return emitter.output
    }
}

/// A small emitter that follows yaml.v2's (libyaml's) choices of scalar style and line folding.
struct YAMLEmitter {
    var output = ""
    private var column = 0
    private static let bestWidth = 80

    mutating func emitDocument(_ value: YAMLValue) {
        switch value {
        case .mapping(let pairs) where !pairs.isEmpty: emitMapping(pairs, indent: 0)
        case .sequence(let items, false) where !items.isEmpty: emitSequence(items, indent: 0)
        default:
            emitInline(value, indent: 0, flow: false)
            newline()
        }
    }

    private mutating func write(_ s: String) {
        output += s
        if let nl = s.lastIndex(of: "\n") {
            column = s[s.index(after: nl)...].count
        } else {
            column += s.count
        }
    }

    private mutating func newline() {
        output += "\n"
        column = 0
    }

    private mutating func writeIndent(_ indent: Int) {
        if column != 0 { newline() }
        write(String(repeating: " ", count: indent))
    }

    private mutating func emitMapping(_ pairs: [(String, YAMLValue)], indent: Int, first: Bool = false) {
        for (i, (key, value)) in pairs.enumerated() {
            if !(first && i == 0) { writeIndent(indent) }
            emitScalarString(key, indent: indent, flow: false, isKey: true)
            write(":")
            switch value {
            case .mapping(let inner) where !inner.isEmpty:
                newline()
                emitMapping(inner, indent: indent + 2)
            case .sequence(let items, false) where !items.isEmpty:
                newline()
                emitSequence(items, indent: indent)
            default:
                write(" ")
                emitInline(value, indent: indent + 2, flow: false)
                newline()
            }
        }
    }

    private mutating func emitSequence(_ items: [YAMLValue], indent: Int) {
        for item in items {
            writeIndent(indent)
            write("- ")
            switch item {
            case .mapping(let inner) where !inner.isEmpty:
                emitMapping(inner, indent: indent + 2, first: true)
            case .sequence(let inner, false) where !inner.isEmpty:
                newline()
                emitSequence(inner, indent: indent + 2)
            default:
                emitInline(item, indent: indent + 2, flow: false)
                newline()
            }
        }
    }

    /// Scalars, empty collections and flow sequences, on the current line.
    private mutating func emitInline(_ value: YAMLValue, indent: Int, flow: Bool) {
        switch value {
        case .string(let s): emitScalarString(s, indent: indent, flow: flow, isKey: false)
        case .literal(let s): write(s)
        case .sequence(let items, _):
            write("[")
            for (i, item) in items.enumerated() {
                if i > 0 { write(", ") }
                emitInline(item, indent: indent, flow: true)
            }
            write("]")
        case .mapping(let pairs), .flowMapping(let pairs):
            write("{")
            for (i, (key, item)) in pairs.enumerated() {
                if i > 0 { write(", ") }
                emitScalarString(key, indent: indent, flow: true, isKey: true)
                write(": ")
                emitInline(item, indent: indent, flow: true)
            }
            write("}")
        }
    }

    private mutating func emitScalarString(_ s: String, indent: Int, flow: Bool, isKey: Bool) {
        let style = YAMLScalarStyle.choose(for: s, flow: flow, isKey: isKey)
        switch style {
        case .plain: writeFolded(s, indent: indent, quote: nil)
        case .singleQuoted: writeFolded(s, indent: indent, quote: "'")
        case .doubleQuoted: write(YAMLScalarStyle.doubleQuoted(s))
        case .literal: writeLiteral(s, indent: indent)
        }
    }

    /// Plain or single-quoted text; a single space is turned into a line break once past the best width.
    private mutating func writeFolded(_ s: String, indent: Int, quote: Character?) {
        if let quote { write(String(quote)) }
        let chars = Array(s)
        var spaces = false
        var line = ""
        for (i, ch) in chars.enumerated() {
            if ch == " " {
                let next = i + 1 < chars.count ? chars[i + 1] : nil
                let allowed = quote == nil || (i != 0 && i != chars.count - 1)
                if allowed, !spaces, column + line.count > Self.bestWidth, next != " " {
                    write(line)
                    line = ""
                    newline()
                    write(String(repeating: " ", count: indent))
                } else {
                    line.append(ch)
                }
                spaces = true
            } else {
                if quote != nil, ch == "'" { line += "''" } else { line.append(ch) }
                spaces = false
            }
        }
        write(line)
        if let quote { write(String(quote)) }
    }

    private mutating func writeLiteral(_ s: String, indent: Int) {
        var header = "|"
        if s.first == " " || s.first == "\n" { header += "2" }
        if !s.hasSuffix("\n") {
            header += "-"
        } else if s.hasSuffix("\n\n") || s == "\n" {
            header += "+"
        }
        write(header)
        var body = s
        if body.hasSuffix("\n") { body.removeLast() }
        for line in body.split(separator: "\n", omittingEmptySubsequences: false) {
            newline()
            if !line.isEmpty { write(String(repeating: " ", count: indent) + line) }
        }
    }
}

/// yaml.v2's choice of scalar style for a string.
enum YAMLScalarStyle {
    case plain, singleQuoted, doubleQuoted, literal

    static func choose(for s: String, flow: Bool, isKey: Bool) -> YAMLScalarStyle {
        if !isKey, GoYAMLResolve.isNonString(s) { return .doubleQuoted }
        let a = ScalarAnalysis(s)
        if s.contains("\n") && !isKey && !flow {
            return a.blockAllowed ? .literal : .doubleQuoted
        }
        if s.isEmpty { return isKey || flow ? .singleQuoted : .doubleQuoted }
        let plainAllowed = flow ? a.flowPlainAllowed : a.blockPlainAllowed
        if plainAllowed && !a.multiline { return .plain }
        return a.singleQuotedAllowed && !a.multiline ? .singleQuoted : .doubleQuoted
    }

    /// yaml.v2's `is_printable`: no tabs, carriage returns or characters outside the Basic Multilingual Plane.
    static func isPrintable(_ c: Unicode.Scalar) -> Bool {
        c == "\n" || (c.value >= 0x20 && c.value <= 0x7E) || (c.value >= 0xA0 && c.value <= 0xD7FF)
            || (c.value >= 0xE000 && c.value <= 0xFFFD && c.value != 0xFEFF)
    }

    static func doubleQuoted(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            case "\0": out += "\\0"
            default:
                if !isPrintable(scalar) {
                    let hex = String(scalar.value, radix: 16, uppercase: true)
                    switch scalar.value {
                    case 0x07: out += "\\a"
                    case 0x08: out += "\\b"
                    case 0x0B: out += "\\v"
                    case 0x0C: out += "\\f"
                    case 0x1B: out += "\\e"
                    case 0x85: out += "\\N"
                    case 0x2028: out += "\\L"
                    case 0x2029: out += "\\P"
                    case 0...0xFF: out += "\\x" + hex.leftPadded(to: 2)
                    case 0x100...0xFFFF: out += "\\u" + hex.leftPadded(to: 4)
                    default: out += "\\U" + hex.leftPadded(to: 8)
                    }
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}

extension String {
    func leftPadded(to width: Int, with pad: Character = "0") -> String {
        count >= width ? self : String(repeating: pad, count: width - count) + self
    }
}

/// libyaml's `yaml_emitter_analyze_scalar`, reduced to the flags yaml.v2's style choice needs.
struct ScalarAnalysis {
    var flowPlainAllowed = true
    var blockPlainAllowed = true
    var singleQuotedAllowed = true
    var blockAllowed = true
    var multiline = false

    init(_ s: String) {
        let chars = Array(s.unicodeScalars)
        guard !chars.isEmpty else {
            flowPlainAllowed = false
            blockAllowed = false
            return
        }
        var flowIndicators = false
        var blockIndicators = false
        if s.hasPrefix("---") || s.hasPrefix("...") {
            flowIndicators = true
            blockIndicators = true
        }
        var lineBreaks = false
        var specialCharacters = false
        var leadingSpace = false, leadingBreak = false, trailingSpace = false, trailingBreak = false
        var breakSpace = false, spaceBreak = false
        var precededByWhitespace = true
        var previousSpace = false, previousBreak = false
        func isBlankz(_ i: Int) -> Bool {
            i >= chars.count || chars[i] == " " || chars[i] == "\t" || chars[i] == "\n" || chars[i] == "\r"
        }
        for (i, c) in chars.enumerated() {
            let followedByWhitespace = isBlankz(i + 1)
            if i == 0 {
                if "#,[]{}&*!|>'\"%@`".unicodeScalars.contains(c) {
                    flowIndicators = true
                    blockIndicators = true
                }
                if c == "?" || c == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if c == "-" && followedByWhitespace {
                    flowIndicators = true
                    blockIndicators = true
                }
            } else {
                if ",?[]{}".unicodeScalars.contains(c) { flowIndicators = true }
                if c == ":" {
                    flowIndicators = true
                    if followedByWhitespace { blockIndicators = true }
                }
                if c == "#" && precededByWhitespace {
                    flowIndicators = true
                    blockIndicators = true
                }
            }
            let printable = YAMLScalarStyle.isPrintable(c)
            if !printable { specialCharacters = true }
            let isBreak = c == "\n" || c == "\r" || c.value == 0x85 || c.value == 0x2028 || c.value == 0x2029
            if c == " " {
                if i == 0 { leadingSpace = true }
                if i == chars.count - 1 { trailingSpace = true }
                if previousBreak { breakSpace = true }
                previousSpace = true
                previousBreak = false
            } else if isBreak {
                lineBreaks = true
                if i == 0 { leadingBreak = true }
                if i == chars.count - 1 { trailingBreak = true }
                if previousSpace { spaceBreak = true }
                previousSpace = false
                previousBreak = true
            } else {
                previousSpace = false
                previousBreak = false
            }
            precededByWhitespace = c == " " || c == "\t" || isBreak
        }
        multiline = lineBreaks
        if leadingSpace || leadingBreak || trailingSpace || trailingBreak {
            flowPlainAllowed = false
            blockPlainAllowed = false
        }
        if trailingSpace { blockAllowed = false }
        if breakSpace {
            flowPlainAllowed = false
            blockPlainAllowed = false
            singleQuotedAllowed = false
        }
        if spaceBreak || specialCharacters {
            flowPlainAllowed = false
            blockPlainAllowed = false
            singleQuotedAllowed = false
            blockAllowed = false
        }
        if lineBreaks {
            flowPlainAllowed = false
            blockPlainAllowed = false
        }
        if flowIndicators { flowPlainAllowed = false }
        if blockIndicators { blockPlainAllowed = false }
    }
}

/// yaml.v2's `resolve` for plain scalars: whether a string would read back as something other than a string
/// (null, bool, int, float, timestamp, merge key) or as a YAML 1.1 base-60 float; such strings are double-quoted.
enum GoYAMLResolve {
    private static let nulls: Set<String> = ["", "~", "null", "Null", "NULL"]
    private static let bools: Set<String> = [
        "y", "Y", "yes", "Yes", "YES", "true", "True", "TRUE", "on", "On", "ON",
        "n", "N", "no", "No", "NO", "false", "False", "FALSE", "off", "Off", "OFF",
    ]
    private static let specialFloats: Set<String> = [
        ".inf", ".Inf", ".INF", "+.inf", "+.Inf", "+.INF", "-.inf", "-.Inf", "-.INF", ".nan", ".NaN", ".NAN",
    ]

    static func isNonString(_ s: String) -> Bool {
        if nulls.contains(s) || bools.contains(s) || specialFloats.contains(s) { return true }
        guard let first = s.unicodeScalars.first, "+-.0123456789".unicodeScalars.contains(first) else { return false }
        if isInt(s) || isFloat(s) || isBase60Float(s) { return true }
        if first.properties.numericType != nil, isTimestamp(s) { return true }
        return false
    }

    static func isInt(_ s: String) -> Bool {
        var body = Substring(s.replacingOccurrences(of: "_", with: ""))
        if body.hasPrefix("-") || body.hasPrefix("+") { body = body.dropFirst() }
        guard !body.isEmpty else { return false }
        func all(_ text: Substring, _ allowed: String) -> Bool {
            !text.isEmpty && text.allSatisfy { allowed.contains($0) }
        }
        if body.hasPrefix("0x") || body.hasPrefix("0X") { return all(body.dropFirst(2), "0123456789abcdefABCDEF") }
        if body.hasPrefix("0b") || body.hasPrefix("0B") { return all(body.dropFirst(2), "01") }
        if body.hasPrefix("0o") || body.hasPrefix("0O") { return all(body.dropFirst(2), "01234567") }
        if body.hasPrefix("0") && body.count > 1 { return all(body.dropFirst(), "01234567") }
        return all(body, "0123456789")
    }

    static func isFloat(_ s: String) -> Bool {
        // yamlStyleFloat: ^[-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?$
        var chars = Substring(s)
        if chars.hasPrefix("-") || chars.hasPrefix("+") { chars = chars.dropFirst() }
        var mantissa = chars
        var exponent: Substring?
        if let e = chars.firstIndex(where: { $0 == "e" || $0 == "E" }) {
            mantissa = chars[..<e]
            exponent = chars[chars.index(after: e)...]
        }
        let digits = "0123456789"
        if let exp = exponent {
            var expDigits = exp
            if expDigits.hasPrefix("-") || expDigits.hasPrefix("+") { expDigits = expDigits.dropFirst() }
            guard !expDigits.isEmpty, expDigits.allSatisfy({ digits.contains($0) }) else { return false }
        }
        let parts = mantissa.split(separator: ".", maxSplits: 1, omittingEmptySubsequences: false)
        if parts.count == 1 {
            return !parts[0].isEmpty && parts[0].allSatisfy { digits.contains($0) } && exponent != nil
        }
        let intPart = parts[0], fracPart = parts[1]
        if intPart.isEmpty { return !fracPart.isEmpty && fracPart.allSatisfy { digits.contains($0) } }
        return intPart.allSatisfy { digits.contains($0) } && fracPart.allSatisfy { digits.contains($0) }
    }

    /// `^[-+]?[0-9][0-9_]*(?::[0-5]?[0-9])+(?:\.[0-9_]*)?$`
    static func isBase60Float(_ s: String) -> Bool {
        var rest = Substring(s)
        if rest.hasPrefix("-") || rest.hasPrefix("+") { rest = rest.dropFirst() }
        var fraction: Substring?
        if let dot = rest.firstIndex(of: ".") {
            fraction = rest[rest.index(after: dot)...]
            rest = rest[..<dot]
        }
        if let fraction, !fraction.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") }) { return false }
        let groups = rest.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count >= 2, let head = groups.first, let h = head.first, h.isASCII, h.isNumber,
            head.allSatisfy({ $0.isASCII && ($0.isNumber || $0 == "_") })
        else { return false }
        for group in groups.dropFirst() {
            guard (1...2).contains(group.count), group.allSatisfy({ $0.isASCII && $0.isNumber }) else { return false }
            if group.count == 2, let f = group.first, !"012345".contains(f) { return false }
        }
        return true
    }

    /// `2006-01-02` style dates (the forms yaml.v2 resolves as timestamps start with a full date).
    static func isTimestamp(_ s: String) -> Bool {
        let c = Array(s.utf8)
        guard c.count >= 10, c[4] == 0x2D, c[7] == 0x2D else { return false }
        for i in [0, 1, 2, 3, 5, 6, 8, 9] where !(c[i] >= 0x30 && c[i] <= 0x39) { return false }
        return c.count == 10 || c[10] == 0x54 || c[10] == 0x74 || c[10] == 0x20
    }
}
