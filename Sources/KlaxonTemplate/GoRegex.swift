import Foundation
import KlaxonGoCompat

/// A regular expression with Go's `regexp` entry points: unanchored `MatchString` and `ReplaceAllString` with
/// `$1` / `${name}` expansion. Compiled patterns are cached.
struct GoRegex: @unchecked Sendable {
    // NSRegularExpression is immutable and documented as safe to use from several threads.
    let regex: NSRegularExpression
    let groupNames: [String: Int]

    private final class Cache: @unchecked Sendable {
        // Guarded by `lock`.
        var entries: [String: GoRegex] = [:]
        let lock = NSLock()
    }

    private static let cache = Cache()

    static func compile(_ pattern: String, prefix: String) throws(TemplateFunction.CallError) -> GoRegex {
        cache.lock.lock()
        let cached = cache.entries[pattern]
        cache.lock.unlock()
        if let cached { return cached }
        let translated = GoRegexp.icuPattern(pattern)
        // Only patterns that are valid RE2 reach ICU, refused as Go refuses them. A pattern longer than
        // `GoRegexp.icuCopyFreeLength` costs its UTF-16 copy in Foundation once per compilation; the cache below
        // compiles each pattern once, which bounds that for the patterns a config's templates hold.
        guard GoLinearRegexp(pattern) != nil || GoRegexp.isValidApartFromPropertyClasses(pattern),
            let regex = try? NSRegularExpression(pattern: translated)
        else {
            throw TemplateFunction.CallError("\(prefix)error parsing regexp: invalid pattern: `\(pattern)`")
        }
        let compiled = GoRegex(regex: regex, groupNames: GoRegex.namedGroups(pattern))
        cache.lock.lock()
        if cache.entries.count > 256 { cache.entries.removeAll() }
        cache.entries[pattern] = compiled
        cache.lock.unlock()
        return compiled
    }

    /// Capture group numbers of named groups, counting `(` that open capturing groups.
    private static func namedGroups(_ pattern: String) -> [String: Int] {
        let chars = Array(pattern)
        var names: [String: Int] = [:]
        var group = 0
        var index = 0
        var inClass = false
        while index < chars.count {
            let c = chars[index]
            if c == "\\" {
                index += 2
                continue
            }
            if inClass {
                if c == "]" { inClass = false }
            } else if c == "[" {
                inClass = true
            } else if c == "(" {
                let rest = String(chars[(index + 1)...].prefix(3))
                if rest.hasPrefix("?P<") || (rest.hasPrefix("?<") && !rest.hasPrefix("?<=") && !rest.hasPrefix("?<!")) {
                    group += 1
                    let start = index + (rest.hasPrefix("?P<") ? 4 : 3)
                    var end = start
                    while end < chars.count && chars[end] != ">" { end += 1 }
                    names[String(chars[start..<min(end, chars.count)])] = group
                } else if !rest.hasPrefix("?") {
                    group += 1
                }
            }
            index += 1
        }
        return names
    }

    func matches(_ text: String) -> Bool {
        let ns = text as NSString
        return regex.firstMatch(in: text, range: NSRange(location: 0, length: ns.length)) != nil
    }

    func replaceAll(_ text: String, template: String) -> String {
        let ns = text as NSString
        let results = regex.matches(in: text, range: NSRange(location: 0, length: ns.length))
        guard !results.isEmpty else { return text }
        var out = ""
        var last = 0
        for result in results {
            out += ns.substring(with: NSRange(location: last, length: result.range.location - last))
            out += expand(template, result, ns)
            last = result.range.location + result.range.length
        }
        out += ns.substring(from: last)
        return out
    }

    /// Go's `Regexp.Expand` template syntax.
    private func expand(_ template: String, _ result: NSTextCheckingResult, _ ns: NSString) -> String {
        var out = ""
        let chars = Array(template.unicodeScalars)
        var index = 0
        func isNameChar(_ c: Unicode.Scalar) -> Bool {
            c == "_" || (c.isASCII && (c.properties.isAlphabetic || ("0"..."9").contains(c)))
        }
        func group(_ name: String) -> String {
            let number: Int?
            if let value = Int(name), name.allSatisfy(\.isASCII) { number = value } else { number = groupNames[name] }
            guard let number, number < result.numberOfRanges else { return "" }
            let range = result.range(at: number)
            return range.location == NSNotFound ? "" : ns.substring(with: range)
        }
        while index < chars.count {
            let c = chars[index]
            guard c == "$", index + 1 < chars.count else {
                out.unicodeScalars.append(c)
                index += 1
                continue
            }
            let next = chars[index + 1]
            if next == "$" {
                out += "$"
                index += 2
            } else if next == "{" {
                var end = index + 2
                while end < chars.count && isNameChar(chars[end]) { end += 1 }
                if end < chars.count && chars[end] == "}" && end > index + 2 {
                    out += group(String(String.UnicodeScalarView(chars[(index + 2)..<end])))
                    index = end + 1
                } else {
                    out += "$"
                    index += 1
                }
            } else if isNameChar(next) {
                var end = index + 1
                while end < chars.count && isNameChar(chars[end]) { end += 1 }
                out += group(String(String.UnicodeScalarView(chars[(index + 1)..<end])))
                index = end
            } else {
                out += "$"
                index += 1
            }
        }
        return out
    }
}
