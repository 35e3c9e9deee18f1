/// Tokens of Go's template language.
struct Token {
    enum Kind: Equatable {
        case text, leftDelim, rightDelim, space, identifier, field, variable, string, rawString, char, number, bool
        case nilWord, dot, pipe, charItem, declare, assign, leftParen, rightParen, comma, eof, error
        case keywordBlock, keywordBreak, keywordContinue, keywordDefine, keywordElse, keywordEnd, keywordIf
        case keywordRange, keywordTemplate, keywordWith
    }

    var kind: Kind
    /// The token's text (for `.text`, already trimmed; for `.error`, the message).
    var value: String
    /// Byte offset in the source.
    var pos: Int
    /// 1-based line of the token's start.
    var line: Int
}

/// Go's `text/template/parse` lexer, producing all tokens up front.
struct Lexer {
    private let src: [UInt8]
    private var pos = 0
    private var start = 0
    private var line = 1
    private var startLine = 1
    private var parenDepth = 0
    private var insideAction = false
    private(set) var tokens: [Token] = []

    private static let keywords: [String: Token.Kind] = [
        "block": .keywordBlock, "break": .keywordBreak, "continue": .keywordContinue, "define": .keywordDefine,
        "else": .keywordElse, "end": .keywordEnd, "if": .keywordIf, "range": .keywordRange,
        "template": .keywordTemplate, "with": .keywordWith, "nil": .nilWord, "true": .bool, "false": .bool,
    ]

    init(_ text: String) {
        src = Array(text.utf8)
    }

    static func tokenize(_ text: String) -> [Token] {
        var lexer = Lexer(text)
        lexer.run()
        return lexer.tokens
    }

    private func at(_ offset: Int) -> UInt8? {
        pos + offset < src.count ? src[pos + offset] : nil
    }

    private func hasPrefix(_ bytes: [UInt8], at index: Int) -> Bool {
        guard index + bytes.count <= src.count else { return false }
        for (k, byte) in bytes.enumerated() where src[index + k] != byte { return false }
        return true
    }

    private static let left: [UInt8] = [123, 123]  // {{
    private static let right: [UInt8] = [125, 125]  // }}
    private static let commentOpen: [UInt8] = [47, 42]  // /*
    private static let commentClose: [UInt8] = [42, 47]  // */

    private static func isSpace(_ c: UInt8) -> Bool { c == 32 || c == 9 || c == 13 || c == 10 }
    private static func isAlnum(_ c: UInt8) -> Bool {
        c == 95 || (c >= 48 && c <= 57) || (c >= 65 && c <= 90) || (c >= 97 && c <= 122) || c >= 0x80
    }

    private func text(_ from: Int, _ to: Int) -> String {
        String(decoding: src[from..<to], as: UTF8.self)
    }

    private mutating func emit(_ kind: Token.Kind) {
        tokens.append(Token(kind: kind, value: text(start, pos), pos: start, line: startLine))
        start = pos
        startLine = line
    }

    private mutating func ignore() {
        start = pos
        startLine = line
    }

    private mutating func advance(_ count: Int = 1) {
        for _ in 0..<count where pos < src.count {
            if src[pos] == 10 { line += 1 }
            pos += 1
        }
    }

    private mutating func fail(_ message: String) {
        tokens.append(Token(kind: .error, value: message, pos: start, line: startLine))
    }

    /// Whether a left trim marker (`- ` after `{{`) starts at `index`.
    private func leftTrimMarker(at index: Int) -> Bool {
        index + 1 < src.count && src[index] == 45 && Lexer.isSpace(src[index + 1])
    }

    /// Whether a right trim marker (` -` before `}}`) starts at `index`.
    private func rightTrimMarker(at index: Int) -> Bool {
        index + 1 < src.count && Lexer.isSpace(src[index]) && src[index + 1] == 45
            && hasPrefix(Lexer.right, at: index + 2)
    }

    mutating func run() {
        while true {
            guard let next = lexText() else { return }
            if !next { return }
        }
    }

    /// Scans text up to the next action; returns false at EOF or error.
    private mutating func lexText() -> Bool? {
        var index = pos
        while index < src.count && !hasPrefix(Lexer.left, at: index) { index += 1 }
        if index >= src.count {
            advance(src.count - pos)
            if pos > start { emit(.text) }
            tokens.append(Token(kind: .eof, value: "", pos: pos, line: line))
            return false
        }
        var textEnd = index
        let trimLeft = leftTrimMarker(at: index + 2)
        if trimLeft {
            while textEnd > start && Lexer.isSpace(src[textEnd - 1]) { textEnd -= 1 }
        }
        advance(index - pos)
        if textEnd > start {
            tokens.append(Token(kind: .text, value: text(start, textEnd), pos: start, line: startLine))
        }
        ignore()
        return lexLeftDelim(trimLeft: trimLeft)
    }

    private mutating func lexLeftDelim(trimLeft: Bool) -> Bool {
        advance(2)
        let afterMarker = pos + (trimLeft ? 2 : 0)
        if hasPrefix(Lexer.commentOpen, at: afterMarker) {
            advance(afterMarker - pos)
            ignore()
            return lexComment()
        }
        emit(.leftDelim)
        advance(afterMarker - pos)
        ignore()
        insideAction = true
        parenDepth = 0
        return lexInsideAction()
    }

    private mutating func lexComment() -> Bool {
        advance(2)
        var index = pos
        while index < src.count && !hasPrefix(Lexer.commentClose, at: index) { index += 1 }
        guard index < src.count else {
            fail("unclosed comment")
            return false
        }
        advance(index + 2 - pos)
        let trimRight = rightTrimMarker(at: pos)
        if trimRight { advance(2) }
        guard hasPrefix(Lexer.right, at: pos) else {
            fail("comment ends before closing delimiter")
            return false
        }
        advance(2)
        ignore()
        if trimRight { skipLeadingSpace() }
        return true
    }

    private mutating func skipLeadingSpace() {
        while pos < src.count && Lexer.isSpace(src[pos]) { advance() }
        ignore()
    }

    private mutating func lexRightDelim(trimRight: Bool) -> Bool {
        if trimRight {
            advance(2)
            ignore()
        }
        advance(2)
        emit(.rightDelim)
        insideAction = false
        if trimRight { skipLeadingSpace() }
        return true
    }

    private mutating func lexInsideAction() -> Bool {
        while true {
            let delimAhead = rightTrimMarker(at: pos) || hasPrefix(Lexer.right, at: pos)
            if delimAhead {
                if parenDepth == 0 { return lexRightDelim(trimRight: rightTrimMarker(at: pos)) }
                fail("unclosed left paren")
                return false
            }
            guard let c = at(0) else {
                fail("unclosed action")
                return false
            }
            switch c {
            case _ where Lexer.isSpace(c):
                var index = pos
                while index < src.count && Lexer.isSpace(src[index]) {
                    if rightTrimMarker(at: index) { break }
                    index += 1
                }
                if index == pos {
                    // A space that starts a right trim marker.
                    advance()
                } else {
                    advance(index - pos)
                }
                emit(.space)
            case UInt8(ascii: "="):
                advance()
                emit(.assign)
            case UInt8(ascii: ":"):
                guard at(1) == UInt8(ascii: "=") else {
                    fail("expected :=")
                    return false
                }
                advance(2)
                emit(.declare)
            case UInt8(ascii: "|"):
                advance()
                emit(.pipe)
            case UInt8(ascii: "\""):
                guard lexQuote() else { return false }
            case UInt8(ascii: "`"):
                guard lexRawQuote() else { return false }
            case UInt8(ascii: "'"):
                guard lexChar() else { return false }
            case UInt8(ascii: "$"):
                advance()
                while let next = at(0), Lexer.isAlnum(next) { advance() }
                emit(.variable)
            case UInt8(ascii: "."):
                if let next = at(1), next >= 48 && next <= 57 {
                    guard lexNumber() else { return false }
                } else {
                    advance()
                    if let next = at(0), Lexer.isAlnum(next) {
                        while let more = at(0), Lexer.isAlnum(more) { advance() }
                        emit(.field)
                    } else {
                        emit(.dot)
                    }
                }
            case UInt8(ascii: "+"), UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"):
                guard lexNumber() else { return false }
            case _ where Lexer.isAlnum(c):
                while let more = at(0), Lexer.isAlnum(more) { advance() }
                let word = text(start, pos)
                if let keyword = Lexer.keywords[word] {
                    emit(keyword)
                } else if word.first == "." {
                    emit(.field)
                } else {
                    emit(.identifier)
                }
            case UInt8(ascii: "("):
                advance()
                parenDepth += 1
                emit(.leftParen)
            case UInt8(ascii: ")"):
                advance()
                emit(.rightParen)
                parenDepth -= 1
                if parenDepth < 0 {
                    fail("unexpected right paren U+0029 ')'")
                    return false
                }
            case UInt8(ascii: ","):
                advance()
                emit(.comma)
            case 0x21...0x7E:
                advance()
                emit(.charItem)
            default:
                let scalar = String(decoding: [c], as: UTF8.self)
                fail("unrecognized character in action: U+\(String(format: "%04X", Int(c))) '\(scalar)'")
                return false
            }
        }
    }

    private mutating func lexQuote() -> Bool {
        advance()
        while true {
            guard let c = at(0), c != 10 else {
                fail("unterminated quoted string")
                return false
            }
            if c == UInt8(ascii: "\\") {
                advance()
                guard let escaped = at(0), escaped != 10 else {
                    fail("unterminated quoted string")
                    return false
                }
            }
            advance()
            if c == UInt8(ascii: "\"") { break }
        }
        emit(.string)
        return true
    }

    private mutating func lexRawQuote() -> Bool {
        advance()
        while true {
            guard let c = at(0) else {
                fail("unterminated raw quoted string")
                return false
            }
            advance()
            if c == UInt8(ascii: "`") { break }
        }
        emit(.rawString)
        return true
    }

    private mutating func lexChar() -> Bool {
        advance()
        while true {
            guard let c = at(0), c != 10 else {
                fail("unterminated character constant")
                return false
            }
            if c == UInt8(ascii: "\\") {
                advance()
                guard at(0) != nil else {
                    fail("unterminated character constant")
                    return false
                }
            }
            advance()
            if c == UInt8(ascii: "'") { break }
        }
        emit(.char)
        return true
    }

    private mutating func lexNumber() -> Bool {
        if let c = at(0), c == 43 || c == 45 { advance() }
        var digitsAllowed = "0123456789_"
        if at(0) == 48, let x = at(1), x == 120 || x == 88 || x == 111 || x == 79 || x == 98 || x == 66 {
            advance(2)
            digitsAllowed = x == 120 || x == 88 ? "0123456789abcdefABCDEF_" : "0123456789_"
        }
        let allowed = Set(digitsAllowed.utf8)
        while let c = at(0), allowed.contains(c) { advance() }
        if at(0) == 46 {
            advance()
            while let c = at(0), allowed.contains(c) { advance() }
        }
        if let c = at(0), c == 101 || c == 69 || c == 112 || c == 80 {
            advance()
            if let sign = at(0), sign == 43 || sign == 45 { advance() }
            while let d = at(0), d >= 48 && d <= 57 { advance() }
        }
        if let c = at(0), Lexer.isAlnum(c) {
            advance()
            fail("bad number syntax: \"\(text(start, pos))\"")
            return false
        }
        emit(.number)
        return true
    }
}
