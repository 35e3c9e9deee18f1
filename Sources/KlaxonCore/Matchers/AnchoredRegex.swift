import KlaxonGoCompat

/// A regular expression anchored at both ends, as Alertmanager compiles every matcher regex (`^(?:re)$`).
///
/// Values with no metacharacters, and alternations of such literals (`a|b|c`, very common in routes),
/// are matched without the regex engine. Other patterns run on `GoLinearRegexp`, which like Go's engine takes
/// time linear in the value: matchers come from API clients (silences, filters), and a backtracking engine would
/// let `(a+)+$` stall every listing and flush. No matcher reaches ICU (`NSRegularExpression`), which keeps the
/// UTF-16 copy of every pattern longer than 256 units that it compiles.
struct AnchoredRegex: Sendable {
    private enum Kind: Sendable {
        case literal(String)
        case alternatives(Set<String>)
        case linear(GoLinearRegexp)
    }

    private let kind: Kind

    init(_ source: String) throws(MatcherError) {
        if let literals = AnchoredRegex.literalAlternatives(source) {
            kind = literals.count == 1 ? .literal(literals[0]) : .alternatives(Set(literals))
            return
        }
        try RegexSyntaxCheck.validate(source)
        guard let linear = GoLinearRegexp(source) else {
            throw MatcherError("error parsing regexp: invalid or unsupported Perl syntax: `^(?:\(source))$`")
        }
        kind = .linear(linear)
    }

    func matches(_ value: String) -> Bool {
        switch kind {
        case .literal(let literal): value == literal
        case .alternatives(let set): set.contains(value)
        case .linear(let regexp): regexp.matches(value)
        }
    }

    /// Splits `a|b|c` into literals when no alternative has a regex metacharacter; nil otherwise.
    static func literalAlternatives(_ source: String) -> [String]? {
        let meta: Set<UInt8> = Set("\\.+*?()[]{}^$".utf8)
        var parts: [String] = []
        var current: [UInt8] = []
        for byte in source.utf8 {
            if meta.contains(byte) { return nil }
            if byte == UInt8(ascii: "|") {
                parts.append(String(decoding: current, as: UTF8.self))
                current.removeAll(keepingCapacity: true)
            } else {
                current.append(byte)
            }
        }
        parts.append(String(decoding: current, as: UTF8.self))
        return parts
    }
}

/// Reproduces Go's regexp/syntax errors for the mistakes people make, so messages match Alertmanager's.
enum RegexSyntaxCheck {
    static func validate(_ source: String) throws(MatcherError) {
        let full = "^(?:\(source))$"
        let chars = Array(source.unicodeScalars)
        var depth = 0
        var index = 0
        var previousWasRepeat = false
        var canRepeat = false
        while index < chars.count {
            let ch = chars[index]
            switch ch {
            case "\\":
                guard index + 1 < chars.count else {
                    throw MatcherError("error parsing regexp: trailing backslash at end of expression: ``")
                }
                let next = chars[index + 1]
                if next.properties.isAlphabetic, !"AbBdDfnprsStvwWzxQEpPaCU".unicodeScalars.contains(next) {
                    throw MatcherError("error parsing regexp: invalid escape sequence: `\\\(next)`")
                }
                index += 2
                previousWasRepeat = false
                canRepeat = true
                continue
            case "[":
                // Skip the class; `]` right after `[` or `[^` is literal.
                let start = index
                index += 1
                if index < chars.count, chars[index] == "^" { index += 1 }
                if index < chars.count, chars[index] == "]" { index += 1 }
                while index < chars.count, chars[index] != "]" {
                    if chars[index] == "\\" { index += 1 }
                    index += 1
                }
                guard index < chars.count else {
                    let rest = String(String.UnicodeScalarView(chars[start...]))
                    throw MatcherError("error parsing regexp: missing closing ]: `\(rest))$`")
                }
                previousWasRepeat = false
                canRepeat = true
            case "(":
                depth += 1
                previousWasRepeat = false
                canRepeat = false
                // Group syntax `(?:`, `(?i)`, `(?i:`, `(?P<name>` is not a repetition operator.
                if index + 1 < chars.count, chars[index + 1] == "?" {
                    var k = index + 2
                    if k < chars.count, chars[k] == "P" || chars[k] == "<" {
                        while k < chars.count, chars[k] != ">" { k += 1 }
                        index = k + 1
                        continue
                    }
                    while k < chars.count, chars[k] != ")", chars[k] != ":" { k += 1 }
                    if k < chars.count, chars[k] == ")" {
                        // A flags-only group `(?i)` opens and closes here.
                        depth -= 1
                    }
                    index = k + 1
                    continue
                }
            case ")":
                depth -= 1
                if depth < 0 { throw MatcherError("error parsing regexp: unexpected ): `\(full)`") }
                previousWasRepeat = false
                canRepeat = true
            case "*", "+", "?":
                if previousWasRepeat, ch != "?" || (index > 0 && chars[index - 1] == "?") {
                    let op = String(String.UnicodeScalarView(chars[(index - 1)...index]))
                    throw MatcherError("error parsing regexp: invalid nested repetition operator: `\(op)`")
                }
                if !canRepeat, !previousWasRepeat {
                    throw MatcherError("error parsing regexp: missing argument to repetition operator: `\(ch)`")
                }
                previousWasRepeat = ch != "?" || !previousWasRepeat
                canRepeat = false
            case "|":
                previousWasRepeat = false
                canRepeat = false
            default:
                previousWasRepeat = false
                canRepeat = true
            }
            index += 1
        }
        if depth > 0 { throw MatcherError("error parsing regexp: missing closing ): `\(full)`") }
    }
}
