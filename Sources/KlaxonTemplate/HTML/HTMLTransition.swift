import KlaxonGoCompat

/// A zero-copy view of bytes with indices from 0, so the transition functions read as Go's do on `[]byte`.
struct Bytes {
    let base: [UInt8]
    let start: Int
    let end: Int

    init(_ base: [UInt8], start: Int = 0, end: Int? = nil) {
        self.base = base
        self.start = start
        self.end = end ?? base.count
    }

    var count: Int { end - start }
    var isEmpty: Bool { start == end }
    subscript(index: Int) -> UInt8 { base[start + index] }

    func suffix(from index: Int) -> Bytes { Bytes(base, start: start + index, end: end) }
    func prefix(_ length: Int) -> Bytes { Bytes(base, start: start, end: start + length) }
    var array: [UInt8] { Array(base[start..<end]) }

    func firstIndex(of byte: UInt8) -> Int? {
        var index = start
        while index < end {
            if base[index] == byte { return index - start }
            index += 1
        }
        return nil
    }

    func firstIndex(ofAny set: [UInt8]) -> Int? {
        var index = start
        while index < end {
            if set.contains(base[index]) { return index - start }
            index += 1
        }
        return nil
    }

    func firstIndex(of needle: [UInt8]) -> Int? {
        guard needle.count <= count else { return nil }
        var index = start
        while index + needle.count <= end {
            if base[index] == needle[0] && hasPrefix(needle, at: index - start) { return index - start }
            index += 1
        }
        return nil
    }

    func hasPrefix(_ prefix: [UInt8], at offset: Int = 0) -> Bool {
        guard offset + prefix.count <= count else { return false }
        for (index, byte) in prefix.enumerated() where base[start + offset + index] != byte { return false }
        return true
    }

    /// The index after the trailing bytes in `set` are dropped.
    func trimmedEnd(_ set: [UInt8]) -> Int {
        var length = count
        while length > 0, set.contains(self[length - 1]) { length -= 1 }
        return length
    }
}

private func byte(_ scalar: Unicode.Scalar) -> UInt8 { UInt8(scalar.value) }

/// Go html/template's transition functions: how a context changes over template text.
enum HTMLTransition {
    /// The context after the longest prefix of `s` one transition consumes, and that prefix's length.
    static func step(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        switch context.state {
        case .text: return text(context, s)
        case .tag: return tag(context, s)
        case .attrName: return attrName(context, s)
        case .afterName: return afterName(context, s)
        case .beforeValue: return beforeValue(context, s)
        case .htmlComment: return htmlComment(context, s)
        case .rcdata: return specialTagEnd(context, s)
        case .attr: return (context, s.count)
        case .url, .srcset: return url(context, s)
        case .js: return js(context, s)
        case .jsDqStr, .jsSqStr, .jsBqStr, .jsRegexp: return jsDelimited(context, s)
        case .jsBlockComment, .cssBlockComment: return blockComment(context, s)
        case .jsLineComment, .cssLineComment: return lineComment(context, s)
        case .css: return css(context, s)
        case .cssDqStr, .cssSqStr, .cssDqURL, .cssSqURL, .cssURL: return cssString(context, s)
        case .error, .dead: return (context, s.count)
        }
    }

    private static let commentStart = Array("<!--".utf8)
    private static let commentEnd = Array("-->".utf8)
    static let whitespace = Array(" \t\n\u{0C}\r".utf8)

    static func text(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var k = 0
        while true {
            guard let found = s.suffix(from: k).firstIndex(of: byte("<")) else { return (context, s.count) }
            var i = k + found
            if i + 1 == s.count { return (context, s.count) }
            if s.hasPrefix(commentStart, at: i) { return (HTMLContext(state: .htmlComment), i + 4) }
            i += 1
            var isEnd = false
            if s[i] == byte("/") {
                if i + 1 == s.count { return (context, s.count) }
                isEnd = true
                i += 1
            }
            let (j, element) = eatTagName(s, i)
            if j != i {
                return (HTMLContext(state: .tag, element: isEnd ? .none : element), j)
            }
            k = j
        }
    }

    static func tag(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        let i = eatWhiteSpace(s, 0)
        if i == s.count { return (context, s.count) }
        if s[i] == byte(">") {
            return (HTMLContext(state: context.element.contentState, element: context.element), i + 1)
        }
        let j: Int
        switch eatAttrName(s, i) {
        case .failure(let error): return (error, s.count)
        case .success(let end): j = end
        }
        if i == j {
            let rest = String(decoding: s.suffix(from: i).array, as: UTF8.self)
            return (.failure("expected space, attr name, or end of tag, but got \(GoQuote.quote(rest))"), s.count)
        }
        let name = String(decoding: s.suffix(from: i).prefix(j - i).array, as: UTF8.self).lowercased()
        var attr = HTMLContext.Attr.none
        if context.element == .script && name == "type" {
            attr = .scriptType
        } else {
            switch HTMLAttributes.contentType(name) {
            case .url: attr = .url
            case .css: attr = .style
            case .js: attr = .script
            case .srcset: attr = .srcset
            default: break
            }
        }
        return (HTMLContext(state: j == s.count ? .attrName : .afterName, attr: attr, element: context.element), j)
    }

    static func attrName(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        switch eatAttrName(s, 0) {
        case .failure(let error): return (error, s.count)
        case .success(let i):
            var context = context
            if i != s.count { context.state = .afterName }
            return (context, i)
        }
    }

    static func afterName(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        let i = eatWhiteSpace(s, 0)
        if i == s.count { return (context, s.count) }
        if s[i] != byte("=") {
            context.state = .tag
            return (context, i)
        }
        context.state = .beforeValue
        return (context, i + 1)
    }

    static func beforeValue(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        var i = eatWhiteSpace(s, 0)
        if i == s.count { return (context, s.count) }
        var delim = HTMLContext.Delim.spaceOrTagEnd
        if s[i] == byte("'") {
            delim = .singleQuote
            i += 1
        } else if s[i] == byte("\"") {
            delim = .doubleQuote
            i += 1
        }
        context.state = context.attr.startState
        context.delim = delim
        return (context, i)
    }

    static func htmlComment(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        if let i = s.firstIndex(of: commentEnd) { return (HTMLContext(), i + 3) }
        return (context, s.count)
    }

    /// Ends the content of `<script>`, `<style>`, `<textarea>` and `<title>` at its end tag.
    static func specialTagEnd(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        if context.element != .none, let i = indexTagEnd(s, context.element.endTag) { return (HTMLContext(), i) }
        return (context, s.count)
    }

    private static let tagEndSeparators = Array("> \t\n\u{0C}/".utf8)

    static func indexTagEnd(_ bytes: Bytes, _ tag: [UInt8]) -> Int? {
        var s = bytes
        var result = 0
        let prefix = Array("</".utf8)
        while !s.isEmpty {
            guard let i = s.firstIndex(of: prefix) else { return nil }
            s = s.suffix(from: i + prefix.count)
            if tag.count <= s.count, equalFold(s.prefix(tag.count).array, tag) {
                s = s.suffix(from: tag.count)
                if !s.isEmpty && tagEndSeparators.contains(s[0]) { return result + i }
                result += tag.count
            }
            result += i + prefix.count
        }
        return nil
    }

    private static func equalFold(_ a: [UInt8], _ b: [UInt8]) -> Bool {
        a.count == b.count && zip(a, b).allSatisfy { lower($0) == lower($1) }
    }

    private static func lower(_ c: UInt8) -> UInt8 { (65...90).contains(c) ? c + 32 : c }

    static func url(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        if s.firstIndex(ofAny: Array("#?".utf8)) != nil {
            context.urlPart = .queryOrFrag
        } else if s.count != eatWhiteSpace(s, 0) && context.urlPart == .none {
            context.urlPart = .preQuery
        }
        return (context, s.count)
    }

    static func js(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        guard var i = s.firstIndex(ofAny: Array("\"`'/".utf8)) else {
            context.jsCtx = nextJSCtx(s, context.jsCtx)
            return (context, s.count)
        }
        context.jsCtx = nextJSCtx(s.prefix(i), context.jsCtx)
        switch s[i] {
        case byte("\""):
            context.state = .jsDqStr
            context.jsCtx = .regexp
        case byte("'"):
            context.state = .jsSqStr
            context.jsCtx = .regexp
        case byte("`"):
            context.state = .jsBqStr
            context.jsCtx = .regexp
        default:
            if i + 1 < s.count && s[i + 1] == byte("/") {
                context.state = .jsLineComment
                i += 1
            } else if i + 1 < s.count && s[i + 1] == byte("*") {
                context.state = .jsBlockComment
                i += 1
            } else if context.jsCtx == .regexp {
                context.state = .jsRegexp
            } else if context.jsCtx == .divOp {
                context.jsCtx = .regexp
            } else {
                let rest = String(decoding: s.suffix(from: i).array.prefix(32), as: UTF8.self)
                return (.failure("'/' could start a division or regexp: \(GoQuote.quote(rest))"), s.count)
            }
        }
        return (context, i + 1)
    }

    static func jsDelimited(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        let specials: [UInt8]
        switch context.state {
        case .jsSqStr: specials = Array("\\'".utf8)
        case .jsBqStr: specials = Array("`\\".utf8)
        case .jsRegexp: specials = Array("\\/[]".utf8)
        default: specials = Array("\\\"".utf8)
        }
        var k = 0
        var inCharset = false
        while let found = s.suffix(from: k).firstIndex(ofAny: specials) {
            var i = k + found
            switch s[i] {
            case byte("\\"):
                i += 1
                if i == s.count {
                    let text = String(decoding: s.array, as: UTF8.self)
                    return (.failure("unfinished escape sequence in JS string: \(GoQuote.quote(text))"), s.count)
                }
            case byte("["):
                inCharset = true
            case byte("]"):
                inCharset = false
            default:
                if !inCharset {
                    context.state = .js
                    context.jsCtx = .divOp
                    return (context, i + 1)
                }
            }
            k = i + 1
        }
        if inCharset {
            let text = String(decoding: s.array, as: UTF8.self)
            return (.failure("unfinished JS regexp charset: \(GoQuote.quote(text))"), s.count)
        }
        return (context, s.count)
    }

    static func blockComment(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        guard let i = s.firstIndex(of: Array("*/".utf8)) else { return (context, s.count) }
        context.state = context.state == .jsBlockComment ? .js : .css
        return (context, i + 2)
    }

    static func lineComment(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        let isJS = context.state == .jsLineComment
        let terminators: [UInt8] = isJS ? Array("\n\r\u{2028}\u{2029}".utf8) : Array("\n\u{0C}\r".utf8)
        // Go's IndexAny over the UTF-8 terminators matches whole runes; the bytes of U+2028/U+2029 only occur in them.
        let i: Int?
        if isJS {
            i = indexOfAnyRune(s, ["\n", "\r", "\u{2028}", "\u{2029}"])
        } else {
            i = s.firstIndex(ofAny: terminators)
        }
        guard let i else { return (context, s.count) }
        context.state = isJS ? .js : .css
        return (context, i)
    }

    private static func indexOfAnyRune(_ s: Bytes, _ runes: [String]) -> Int? {
        let encoded = runes.map { Array($0.utf8) }
        var index = 0
        while index < s.count {
            for rune in encoded where s.hasPrefix(rune, at: index) { return index }
            index += 1
        }
        return nil
    }

    static func css(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        var k = 0
        while true {
            guard let found = s.suffix(from: k).firstIndex(ofAny: Array("(\"'/".utf8)) else {
                return (context, s.count)
            }
            let i = k + found
            switch s[i] {
            case byte("("):
                let before = s.prefix(i)
                let trimmed = before.prefix(before.trimmedEnd(whitespace))
                if endsWithCSSKeyword(trimmed, "url") {
                    var j = i + 1
                    while j < s.count, whitespace.contains(s[j]) { j += 1 }
                    if j != s.count && s[j] == byte("\"") {
                        context.state = .cssDqURL
                        j += 1
                    } else if j != s.count && s[j] == byte("'") {
                        context.state = .cssSqURL
                        j += 1
                    } else {
                        context.state = .cssURL
                    }
                    return (context, j)
                }
            case byte("/"):
                if i + 1 < s.count {
                    if s[i + 1] == byte("/") {
                        context.state = .cssLineComment
                        return (context, i + 2)
                    }
                    if s[i + 1] == byte("*") {
                        context.state = .cssBlockComment
                        return (context, i + 2)
                    }
                }
            case byte("\""):
                context.state = .cssDqStr
                return (context, i + 1)
            default:
                context.state = .cssSqStr
                return (context, i + 1)
            }
            k = i + 1
        }
    }

    static func cssString(_ context: HTMLContext, _ s: Bytes) -> (HTMLContext, Int) {
        var context = context
        let endAndEscape: [UInt8]
        switch context.state {
        case .cssDqStr, .cssDqURL: endAndEscape = Array("\\\"".utf8)
        case .cssSqStr, .cssSqURL: endAndEscape = Array("\\'".utf8)
        default: endAndEscape = Array("\\\t\n\u{0C}\r )".utf8)
        }
        var k = 0
        while true {
            guard let found = s.suffix(from: k).firstIndex(ofAny: endAndEscape) else {
                // Go returns k plus the decoded length (shorter than the rest when it held escapes).
                let (next, read) = url(context, Bytes(CSSDecoding.decode(s.suffix(from: k).array)))
                return (next, k + read)
            }
            var i = k + found
            if s[i] == byte("\\") {
                i += 1
                if i == s.count {
                    let text = String(decoding: s.array, as: UTF8.self)
                    return (.failure("unfinished escape sequence in CSS string: \(GoQuote.quote(text))"), s.count)
                }
            } else {
                context.state = .css
                return (context, i + 1)
            }
            context = url(context, Bytes(CSSDecoding.decode(s.prefix(i + 1).array))).0
            k = i + 1
        }
    }

    // MARK: - Helpers

    enum AttrNameResult {
        case success(Int)
        case failure(HTMLContext)
    }

    static func eatAttrName(_ s: Bytes, _ i: Int) -> AttrNameResult {
        var j = i
        while j < s.count {
            switch s[j] {
            case byte(" "), byte("\t"), byte("\n"), 0x0C, byte("\r"), byte("="), byte(">"):
                return .success(j)
            case byte("'"), byte("\""), byte("<"):
                let bad = String(decoding: [s[j]], as: UTF8.self)
                let rest = String(decoding: s.array.prefix(32), as: UTF8.self)
                return .failure(
                    .failure("\(GoQuote.quote(bad)) in attribute name: \(GoQuote.quote(rest))"))
            default:
                j += 1
            }
        }
        return .success(s.count)
    }

    private static func isASCIIAlpha(_ c: UInt8) -> Bool { (65...90).contains(c) || (97...122).contains(c) }
    private static func isASCIIAlphaNum(_ c: UInt8) -> Bool { isASCIIAlpha(c) || (48...57).contains(c) }

    static func eatTagName(_ s: Bytes, _ i: Int) -> (Int, HTMLContext.Element) {
        if i == s.count || !isASCIIAlpha(s[i]) { return (i, .none) }
        var j = i + 1
        while j < s.count {
            let x = s[j]
            if isASCIIAlphaNum(x) {
                j += 1
                continue
            }
            if (x == byte(":") || x == byte("-")) && j + 1 < s.count && isASCIIAlphaNum(s[j + 1]) {
                j += 2
                continue
            }
            break
        }
        let name = String(decoding: s.suffix(from: i).prefix(j - i).array, as: UTF8.self).lowercased()
        let element: HTMLContext.Element
        switch name {
        case "script": element = .script
        case "style": element = .style
        case "textarea": element = .textarea
        case "title": element = .title
        default: element = .none
        }
        return (j, element)
    }

    static func eatWhiteSpace(_ s: Bytes, _ i: Int) -> Int {
        var j = i
        while j < s.count, whitespace.contains(s[j]) { j += 1 }
        return j
    }

    private static let regexpPrecederKeywords: Set<String> = [
        "break", "case", "continue", "delete", "do", "else", "finally", "in", "instanceof", "return", "throw", "try",
        "typeof", "void",
    ]

    /// Whether a `/` after the JavaScript `s` starts a regular expression or a division.
    static func nextJSCtx(_ s: Bytes, _ preceding: HTMLContext.JSCtx) -> HTMLContext.JSCtx {
        // Trailing whitespace, including U+2028 and U+2029, does not count.
        var trimmed = Array(s.array)
        while true {
            if let last = trimmed.last, whitespace.contains(last) {
                trimmed.removeLast()
            } else if trimmed.count >= 3, trimmed[trimmed.count - 3] == 0xE2, trimmed[trimmed.count - 2] == 0x80,
                trimmed[trimmed.count - 1] == 0xA8 || trimmed[trimmed.count - 1] == 0xA9
            {
                trimmed.removeLast(3)
            } else {
                break
            }
        }
        let n = trimmed.count
        guard n > 0 else { return preceding }
        let c = trimmed[n - 1]
        switch c {
        case byte("+"), byte("-"):
            var start = n - 1
            while start > 0 && trimmed[start - 1] == c { start -= 1 }
            return (n - start) & 1 == 1 ? .regexp : .divOp
        case byte("."):
            if n != 1 && (48...57).contains(trimmed[n - 2]) { return .divOp }
            return .regexp
        case byte(","), byte("<"), byte(">"), byte("="), byte("*"), byte("%"), byte("&"), byte("|"), byte("^"),
            byte("?"), byte("!"), byte("~"), byte("("), byte("["), byte(":"), byte(";"), byte("{"), byte("}"):
            return .regexp
        default:
            var j = n
            while j > 0 && isJSIdentPart(trimmed[j - 1]) { j -= 1 }
            if regexpPrecederKeywords.contains(String(decoding: trimmed[j...], as: UTF8.self)) { return .regexp }
            return .divOp
        }
    }

    static func isJSIdentPart(_ c: UInt8) -> Bool {
        c == byte("$") || c == byte("_") || isASCIIAlphaNum(c)
    }

    static func endsWithCSSKeyword(_ b: Bytes, _ keyword: String) -> Bool {
        let kw = Array(keyword.utf8)
        let i = b.count - kw.count
        if i < 0 { return false }
        if i != 0 {
            let head = String(decoding: b.prefix(i).array, as: UTF8.self)
            if let last = head.unicodeScalars.last, CSSDecoding.isNmchar(last) { return false }
        }
        return b.suffix(from: i).array.map(lower) == kw
    }
}
