import Foundation

/// Go's `regexp` syntax (RE2) in terms of the ICU engine behind `NSRegularExpression`.
public enum GoRegexp {
    /// The ICU pattern that matches what the Go pattern matches, for the syntax where the two differ: Go's named
    /// group `(?P<name>re)` is ICU's `(?<name>re)`, and Go reads a `{` or `}` that is not part of a repetition
    /// (`{n}`, `{n,}`, `{n,m}`) as a literal character where ICU rejects the pattern.
    public static func icuPattern(_ goPattern: String) -> String {
        escapeLiteralBraces(goPattern.replacingOccurrences(of: "(?P<", with: "(?<"))
    }

    /// The longest pattern (in UTF-16 units) that Foundation compiles without a leak: for a longer one,
    /// `NSRegularExpression` keeps the UTF-16 copy it made for ICU (`_CFRegularExpressionCreate` frees it only when
    /// compilation fails), so patterns that clients choose must stay within it. Found by fuzzing.
    public static let icuCopyFreeLength = 256

    /// Whether `source` uses Unicode property classes (`\pL`, `\P{Greek}`) with names Go knows, and is valid RE2 for
    /// the linear engine once each of them stands for another class: what may go to ICU when `GoLinearRegexp`
    /// refuses a pattern. Anything else it refuses is not valid RE2, and is refused as Go refuses it, though ICU
    /// would accept some of it.
    public static func isValidApartFromPropertyClasses(_ source: String) -> Bool {
        var rewritten = String.UnicodeScalarView()
        var found = false
        var scalars = source.unicodeScalars.makeIterator()
        while let scalar = scalars.next() {
            guard scalar == "\\" else {
                rewritten.append(scalar)
                continue
            }
            guard let next = scalars.next() else { return false }
            guard next == "p" || next == "P" else {
                rewritten.append(contentsOf: [scalar, next])
                continue
            }
            // `\pL` or `\p{Name}` (`\p{^Name}`) with a name Go knows: stands for `\d`, valid inside and outside
            // brackets. An unknown name is refused here too, as ICU refuses some of them.
            guard let first = scalars.next() else { return false }
            if first == "{" {
                var name = String.UnicodeScalarView()
                var closed = false
                while let inner = scalars.next() {
                    if inner == "}" {
                        closed = true
                        break
                    }
                    name.append(inner)
                }
                if name.first == "^" { name.removeFirst() }
                guard closed, GoUnicodeProperties.names.contains(String(name)) else { return false }
            } else {
                guard GoUnicodeProperties.oneLetterNames.contains(first) else { return false }
            }
            rewritten.append(contentsOf: "\\d".unicodeScalars)
            found = true
        }
        return found && GoLinearRegexp(String(rewritten)) != nil
    }

    /// Go treats `{` that does not start a repetition (`{n}`, `{n,}`, `{n,m}`) as a literal; ICU rejects it.
    /// Unicode property classes pass through in ICU's spelling: `\pL` as `\p{L}`, `\p{^Greek}` as `\P{Greek}`.
    private static func escapeLiteralBraces(_ source: String) -> String {
        guard source.contains("{") || source.contains("\\p") || source.contains("\\P") else { return source }
        let chars = Array(source)
        var out = ""
        var index = 0
        var inClass = false
        while index < chars.count {
            let ch = chars[index]
            if ch == "\\", index + 2 < chars.count, chars[index + 1] == "p" || chars[index + 1] == "P" {
                var negated = chars[index + 1] == "P"
                var name = ""
                index += 2
                if chars[index] == "{" {
                    index += 1
                    // Go's `\p{^Greek}` is ICU's `\P{Greek}`.
                    if index < chars.count, chars[index] == "^" {
                        negated.toggle()
                        index += 1
                    }
                    while index < chars.count, chars[index] != "}" {
                        name.append(chars[index])
                        index += 1
                    }
                    index += 1
                } else {
                    name = String(chars[index])
                    index += 1
                }
                out += (negated ? "\\P{" : "\\p{") + name + "}"
                continue
            }
            if ch == "\\", index + 1 < chars.count {
                out.append(ch)
                out.append(chars[index + 1])
                index += 2
                continue
            }
            if ch == "[" { inClass = true } else if ch == "]" { inClass = false }
            if ch == "{", !inClass, !isRepetition(chars, from: index) {
                out += "\\{"
            } else if ch == "}", !inClass, !closesRepetition(chars, at: index) {
                out += "\\}"
            } else {
                out.append(ch)
            }
            index += 1
        }
        return out
    }

    private static func isRepetition(_ chars: [Character], from start: Int) -> Bool {
        var k = start + 1
        var digits = 0
        while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1; digits += 1 }
        guard digits > 0, k < chars.count else { return false }
        if chars[k] == "}" { return true }
        guard chars[k] == "," else { return false }
        k += 1
        while k < chars.count, chars[k].isASCII, chars[k].isNumber { k += 1 }
        return k < chars.count && chars[k] == "}"
    }

    private static func closesRepetition(_ chars: [Character], at end: Int) -> Bool {
        var k = end - 1
        while k >= 0, chars[k].isASCII, chars[k].isNumber || chars[k] == "," { k -= 1 }
        return k >= 0 && k < end - 1 && chars[k] == "{" && isRepetition(chars, from: k)
    }
}
