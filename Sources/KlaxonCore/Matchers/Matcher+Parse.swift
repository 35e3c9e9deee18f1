extension Matcher {
    /// Parses one matcher with Alertmanager 0.25's parser (`pkg/labels.ParseMatcher`):
    /// `name op value` with optional whitespace; the value may be unquoted (`foo=bar baz`) or
    /// double-quoted with `\"`, `\\` and `\n` escapes (other escapes keep their backslash).
    public static func parse(_ text: String) throws(MatcherError) -> Matcher {
        try parse(text, offset: 0)
    }

    static func parse(_ text: String, offset: Int) throws(MatcherError) -> Matcher {
        let scalars = Array(text.unicodeScalars)
        var i = 0
        func skipSpace() { while i < scalars.count, isSpace(scalars[i]) { i += 1 } }
        skipSpace()
        let nameStart = i
        guard i < scalars.count, isNameStart(scalars[i]) else {
            throw MatcherError("bad matcher format: \(text)", offset: offset)
        }
        while i < scalars.count, isNameChar(scalars[i]) { i += 1 }
        let name = String(String.UnicodeScalarView(scalars[nameStart..<i]))
        skipSpace()
        let type: MatchType
        func at(_ k: Int) -> Unicode.Scalar? { k < scalars.count ? scalars[k] : nil }
        switch (at(i), at(i + 1)) {
        case ("=", "~"):
            type = .regexMatch
            i += 2
        case ("!", "="):
            type = .notEqual
            i += 2
        case ("!", "~"):
            type = .regexNoMatch
            i += 2
        case ("=", _):
            type = .equal
            i += 1
        default:
            throw MatcherError("bad matcher format: \(text)", offset: offset)
        }
        skipSpace()
        var end = scalars.count
        while end > i, isSpace(scalars[end - 1]) { end -= 1 }
        let raw = Array(scalars[i..<end])
        let rawText = String(String.UnicodeScalarView(raw))
        let value = try unescape(raw, rawText: rawText, offset: offset + i)
        return try Matcher(type: type, name: name, value: value)
    }

    private static func unescape(
        _ raw: [Unicode.Scalar], rawText: String, offset: Int
    ) throws(MatcherError) -> String {
        var body = raw[...]
        var expectTrailingQuote = false
        if body.first == "\"" {
            body = body.dropFirst()
            expectTrailingQuote = true
        }
        var value = String.UnicodeScalarView()
        var escaped = false
        var index = body.startIndex
        while index < body.endIndex {
            let ch = body[index]
            let isLast = index == body.endIndex - 1
            index += 1
            if escaped {
                escaped = false
                switch ch {
                case "n": value.append("\n")
                case "\"", "\\": value.append(ch)
                default:
                    value.append("\\")
                    value.append(ch)
                }
                continue
            }
            switch ch {
            case "\\":
                if !isLast {
                    escaped = true
                } else {
                    value.append("\\")
                }
            case "\"":
                if !expectTrailingQuote || !isLast {
                    throw MatcherError("matcher value contains unescaped double quote: \(rawText)", offset: offset)
                }
                expectTrailingQuote = false
            default:
                value.append(ch)
            }
        }
        if expectTrailingQuote {
            throw MatcherError("matcher value contains unescaped double quote: \(rawText)", offset: offset)
        }
        return String(value)
    }

    private static func isSpace(_ c: Unicode.Scalar) -> Bool {
        c == " " || c == "\t" || c == "\n" || c == "\r" || c == "\u{0B}" || c == "\u{0C}"
    }

    private static func isNameStart(_ c: Unicode.Scalar) -> Bool {
        (c >= "a" && c <= "z") || (c >= "A" && c <= "Z") || c == "_" || c == ":"
    }

    private static func isNameChar(_ c: Unicode.Scalar) -> Bool {
        isNameStart(c) || (c >= "0" && c <= "9")
    }
}

extension Matchers {
    /// Parses a comma-separated list with optional surrounding braces (`{a="1", b=~"x"}`), as Alertmanager
    /// 0.25's `ParseMatchers`: commas inside double quotes do not split.
    public static func parse(_ text: String) throws(MatcherError) -> Matchers {
        var body = Substring(text)
        if body.hasPrefix("{") { body = body.dropFirst() }
        if body.hasSuffix("}") { body = body.dropLast() }
        let bodyOffset = text.utf8.count - body.utf8.count > 0 && text.hasPrefix("{") ? 1 : 0
        var tokens: [(String, Int)] = []
        var token = String.UnicodeScalarView()
        var tokenStart = 0
        var position = 0
        var insideQuotes = false
        var escaped = false
        for ch in body.unicodeScalars {
            let width = String(ch).utf8.count
            defer { position += width }
            switch ch {
            case ",":
                if !insideQuotes {
                    tokens.append((String(token), tokenStart))
                    token = String.UnicodeScalarView()
                    tokenStart = position + width
                    continue
                }
            case "\"":
                if !escaped { insideQuotes.toggle() } else { escaped = false }
            case "\\":
                escaped.toggle()
            default:
                escaped = false
            }
            token.append(ch)
        }
        let last = String(token).trimmingSpace()
        if !last.isEmpty { tokens.append((last, tokenStart)) }
        var result: [Matcher] = []
        for (tokenText, start) in tokens {
            result.append(try Matcher.parse(tokenText, offset: bodyOffset + start))
        }
        return Matchers(result)
    }
}

extension String {
    /// The string without leading and trailing ASCII white space (Go's `strings.TrimSpace` for ASCII).
    func trimmingSpace() -> String {
        let isSpace: (Unicode.Scalar) -> Bool = { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r" }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !isSpace($0) }),
            let last = scalars.lastIndex(where: { !isSpace($0) })
        else { return "" }
        return String(scalars[first...last])
    }
}
