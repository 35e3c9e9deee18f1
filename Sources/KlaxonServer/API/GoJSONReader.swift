import KlaxonCore

/// A JSON syntax error worded as Go's `encoding/json` (what Alertmanager prints after "failed, because").
struct GoJSONSyntaxError: Error, Equatable {
    let message: String

    static let unexpectedEOF = GoJSONSyntaxError(message: "unexpected EOF")

    /// `invalid character 'x' <context>`, with Go's `quoteChar`.
    static func invalid(_ byte: UInt8, _ context: String) -> GoJSONSyntaxError {
        GoJSONSyntaxError(message: "invalid character \(quoteChar(byte)) \(context)")
    }

    static func quoteChar(_ byte: UInt8) -> String {
        if byte == UInt8(ascii: "'") { return "'\\''" }
        if byte == UInt8(ascii: "\"") { return "'\"'" }
        // Go converts the byte to the rune of the same value before quoting.
        let quoted = GoQuote.quote(String(Unicode.Scalar(byte)))
        return "'" + quoted.dropFirst().dropLast() + "'"
    }
}

/// JSON value kinds, named as Go names them in `cannot unmarshal <kind> into ...`.
enum GoJSONKind: String {
    case object
    case array
    case string
    case number
    case bool
    case null
}

/// A pull reader over UTF-8 JSON that reports syntax errors exactly as Go's scanner.
///
/// Only valid while the buffer it was created from is alive (use it inside `withUnsafeBufferPointer`).
struct GoJSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    private(set) var position = 0

    init(_ bytes: UnsafeBufferPointer<UInt8>) {
        self.bytes = bytes
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Skips white space; false at the end of input.
    mutating func skipSpace() -> Bool {
        while position < bytes.count {
            if !Self.isSpace(bytes[position]) { return true }
            position += 1
        }
        return false
    }

    /// Whether only white space is left.
    mutating func atEnd() -> Bool { !skipSpace() }

    /// The kind of the value that starts here (after white space).
    mutating func peekKind() throws(GoJSONSyntaxError) -> GoJSONKind {
        guard skipSpace() else { throw .unexpectedEOF }
        switch bytes[position] {
        case UInt8(ascii: "{"): return .object
        case UInt8(ascii: "["): return .array
        case UInt8(ascii: "\""): return .string
        case UInt8(ascii: "-"), UInt8(ascii: "0")...UInt8(ascii: "9"): return .number
        case UInt8(ascii: "t"), UInt8(ascii: "f"): return .bool
        case UInt8(ascii: "n"): return .null
        case let other: throw .invalid(other, "looking for beginning of value")
        }
    }

    // MARK: Containers

    /// Consumes `{`.
    mutating func beginObject() {
        position += 1
    }

    /// The next key of an object, or nil after `}`; consumes the `:`.
    mutating func nextKey(first: inout Bool) throws(GoJSONSyntaxError) -> String? {
        guard skipSpace() else { throw .unexpectedEOF }
        if first {
            first = false
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                return nil
            }
        } else {
            switch bytes[position] {
            case UInt8(ascii: "}"):
                position += 1
                return nil
            case UInt8(ascii: ","):
                position += 1
                guard skipSpace() else { throw .unexpectedEOF }
            case let other:
                throw .invalid(other, "after object key:value pair")
            }
        }
        guard bytes[position] == UInt8(ascii: "\"") else {
            throw .invalid(bytes[position], "looking for beginning of object key string")
        }
        let key = try readString()
        guard skipSpace() else { throw .unexpectedEOF }
        guard bytes[position] == UInt8(ascii: ":") else { throw .invalid(bytes[position], "after object key") }
        position += 1
        return key
    }

    /// Consumes `[`.
    mutating func beginArray() {
        position += 1
    }

    /// Whether another element follows; consumes `,` or `]`.
    mutating func nextElement(first: inout Bool) throws(GoJSONSyntaxError) -> Bool {
        guard skipSpace() else { throw .unexpectedEOF }
        if first {
            first = false
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                return false
            }
            return true
        }
        switch bytes[position] {
        case UInt8(ascii: "]"):
            position += 1
            return false
        case UInt8(ascii: ","):
            position += 1
            return true
        case let other:
            throw .invalid(other, "after array element")
        }
    }

    // MARK: Scalars

    /// Reads a string starting at `"`, decoding escapes; invalid UTF-8 becomes U+FFFD as in Go.
    mutating func readString() throws(GoJSONSyntaxError) -> String {
        position += 1
        let start = position
        var plain = true
        while true {
            guard position < bytes.count else { throw .unexpectedEOF }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw .invalid(byte, "in string literal") }
            if byte == UInt8(ascii: "\\") {
                plain = false
                position += 1
                guard position < bytes.count else { throw .unexpectedEOF }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    for _ in 0..<4 {
                        guard position < bytes.count else { throw .unexpectedEOF }
                        guard Self.hexValue(bytes[position]) != nil else {
                            throw .invalid(bytes[position], "in \\u hexadecimal character escape")
                        }
                        position += 1
                    }
                case let other:
                    throw .invalid(other, "in string escape code")
                }
                continue
            }
            if byte >= 0x80 { plain = false }
            position += 1
        }
        let end = position
        position += 1
        let raw = UnsafeBufferPointer(rebasing: bytes[start..<end])
        if plain { return String(decoding: raw, as: UTF8.self) }
        return Self.unescape(raw)
    }

    private static func hexValue(_ byte: UInt8) -> UInt32? {
        switch byte {
        case UInt8(ascii: "0")...UInt8(ascii: "9"): UInt32(byte - UInt8(ascii: "0"))
        case UInt8(ascii: "a")...UInt8(ascii: "f"): UInt32(byte - UInt8(ascii: "a") + 10)
        case UInt8(ascii: "A")...UInt8(ascii: "F"): UInt32(byte - UInt8(ascii: "A") + 10)
        default: nil
        }
    }

    /// Decodes a syntactically valid string body (without quotes).
    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        var index = 0
        func hex4(at i: Int) -> UInt32 {
            var value: UInt32 = 0
            for k in i..<(i + 4) { value = value << 4 | (hexValue(raw[k]) ?? 0) }
            return value
        }
        while index < raw.count {
            let byte = raw[index]
            if byte == UInt8(ascii: "\\") {
                let escape = raw[index + 1]
                index += 2
                switch escape {
                case UInt8(ascii: "b"): out.append("\u{08}")
                case UInt8(ascii: "f"): out.append("\u{0C}")
                case UInt8(ascii: "n"): out.append("\n")
                case UInt8(ascii: "r"): out.append("\r")
                case UInt8(ascii: "t"): out.append("\t")
                case UInt8(ascii: "u"):
                    var code = hex4(at: index)
                    index += 4
                    if code >= 0xD800, code < 0xDC00 {
                        // A high surrogate must be followed by an escaped low surrogate.
                        if index + 6 <= raw.count, raw[index] == UInt8(ascii: "\\"),
                            raw[index + 1] == UInt8(ascii: "u")
                        {
                            let low = hex4(at: index + 2)
                            if low >= 0xDC00, low < 0xE000 {
                                code = 0x10000 + ((code - 0xD800) << 10) + (low - 0xDC00)
                                index += 6
                            } else {
                                code = 0xFFFD
                            }
                        } else {
                            code = 0xFFFD
                        }
                    } else if code >= 0xDC00, code < 0xE000 {
                        code = 0xFFFD
                    }
                    out.append(Unicode.Scalar(code) ?? "\u{FFFD}")
                default: out.append(Unicode.Scalar(escape))
                }
                continue
            }
            // Copy a run of unescaped bytes, repairing invalid UTF-8.
            let runStart = index
            while index < raw.count, raw[index] != UInt8(ascii: "\\") { index += 1 }
            let run = UnsafeBufferPointer(rebasing: raw[runStart..<index])
            out.append(contentsOf: String(decoding: run, as: UTF8.self).unicodeScalars)
        }
        return String(out)
    }

    /// Reads `true` or `false`.
    mutating func readBool() throws(GoJSONSyntaxError) -> Bool {
        if bytes[position] == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        try expectLiteral("false")
        return false
    }

    /// Reads `null`.
    mutating func readNull() throws(GoJSONSyntaxError) {
        try expectLiteral("null")
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(GoJSONSyntaxError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        let name = "\(literal)"
        position += 1
        for index in 1..<expected.count {
            guard position < bytes.count else { throw .unexpectedEOF }
            guard bytes[position] == expected[index] else {
                let want = String(UnicodeScalar(expected[index]))
                throw .invalid(bytes[position], "in literal \(name) (expecting '\(want)')")
            }
            position += 1
        }
    }

    /// Skips a number with Go's error wording. At the end of input a complete number is accepted.
    mutating func skipNumber() throws(GoJSONSyntaxError) {
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[position] == UInt8(ascii: "-") {
            position += 1
            guard position < bytes.count else { throw .unexpectedEOF }
            guard isDigit(bytes[position]) else { throw .invalid(bytes[position], "in numeric literal") }
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count else { throw .unexpectedEOF }
            guard isDigit(bytes[position]) else {
                throw .invalid(bytes[position], "after decimal point in numeric literal")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            guard position < bytes.count else { throw .unexpectedEOF }
            if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
                guard position < bytes.count else { throw .unexpectedEOF }
            }
            guard isDigit(bytes[position]) else { throw .invalid(bytes[position], "in exponent of numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
    }

    /// Skips any value, checking its syntax; returns its kind.
    @discardableResult
    mutating func skipValue() throws(GoJSONSyntaxError) -> GoJSONKind {
        let kind = try peekKind()
        switch kind {
        case .object:
            beginObject()
            var first = true
            while try nextKey(first: &first) != nil { try skipValue() }
        case .array:
            beginArray()
            var first = true
            while try nextElement(first: &first) { try skipValue() }
        case .string: _ = try readString()
        case .number: try skipNumber()
        case .bool: _ = try readBool()
        case .null: try readNull()
        }
        return kind
    }

    /// Reads a string, or nil for `null`; any other kind is skipped and reported in `mismatch`.
    mutating func readOptionalString(mismatch: inout GoJSONKind?) throws(GoJSONSyntaxError) -> String? {
        switch try peekKind() {
        case .string: return try readString()
        case .null:
            try readNull()
            return nil
        default:
            mismatch = try skipValue()
            return nil
        }
    }
}

/// Go's case-insensitive struct-field matching for the ASCII keys the API knows.
extension String {
    func goFieldEquals(_ field: StaticString) -> Bool {
        let utf8 = self.utf8
        guard utf8.count == field.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: field.utf8Start, count: field.utf8CodeUnitCount)
        for (index, byte) in utf8.enumerated() where byte | 0x20 != expected[index] | 0x20 {
            return false
        }
        return true
    }
}
