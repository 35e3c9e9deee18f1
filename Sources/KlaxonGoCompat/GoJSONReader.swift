/// A JSON syntax error worded as Go's `encoding/json` (what Alertmanager prints after "failed, because").
public struct GoJSONSyntaxError: Error, Sendable, Equatable {
    /// Go's message, such as `invalid character 'x' looking for beginning of value`.
    public let message: String

    /// Creates an error with Go's message.
    public init(message: String) { self.message = message }

    /// The input ended inside a value, as a `json.Decoder` reports it (`io.ErrUnexpectedEOF`).
    public static let unexpectedEOF = GoJSONSyntaxError(message: "unexpected EOF")

    /// The input ended inside a value, as `json.Unmarshal` reports it.
    public static let unexpectedEndOfInput = GoJSONSyntaxError(message: "unexpected end of JSON input")

    /// `invalid character 'x' <context>`, with Go's `quoteChar`.
    public static func invalid(_ byte: UInt8, _ context: String) -> GoJSONSyntaxError {
        GoJSONSyntaxError(message: "invalid character \(quoteChar(byte)) \(context)")
    }

    /// Go's `encoding/json.quoteChar`: the byte as the rune of the same value, quoted as `strconv.QuoteRune`
    /// quotes it (`'x'`, `'\''`, `'"'`, `'\n'`, `'\x00'`, `'\u00a0'`).
    public static func quoteChar(_ byte: UInt8) -> String {
        GoQuote.quoteRune(Unicode.Scalar(byte))
    }
}

/// JSON value kinds, named as Go names them in `cannot unmarshal <kind> into ...`.
public enum GoJSONKind: String, Sendable {
    /// `{...}`.
    case object
    /// `[...]`.
    case array
    /// `"..."`.
    case string
    /// `-1.5e3`.
    case number
    /// `true` or `false`.
    case bool
    /// `null`.
    case null
}

/// A JSON document read with ``GoJSONReader``, keeping what Go's decoding can observe: object keys in order
/// (duplicates included) and the raw token of each string and number.
public indirect enum GoJSONValue: Sendable, Hashable {
    /// `null`.
    case null
    /// `true` or `false`.
    case bool(Bool)
    /// A number, as written.
    case number(String)
    /// A decoded string and its raw token, quotes included (what `time.Time.UnmarshalJSON` parses).
    case string(String, raw: String)
    /// An array.
    case array([GoJSONValue])
    /// An object, keys in document order.
    case object([Member])

    /// One key of an object.
    public struct Member: Sendable, Hashable {
        /// The decoded key.
        public var key: String
        /// The value.
        public var value: GoJSONValue

        /// Creates a member.
        public init(key: String, value: GoJSONValue) {
            self.key = key
            self.value = value
        }
    }

    /// The word Go's `UnmarshalTypeError` uses for the value (`cannot unmarshal <kind> into ...`).
    public var kind: GoJSONKind {
        switch self {
        case .null: .null
        case .bool: .bool
        case .number: .number
        case .string: .string
        case .array: .array
        case .object: .object
        }
    }

    /// Parses a whole document as `json.Unmarshal` checks it: one value, then only white space; syntax errors
    /// are Go's, with `unexpected end of JSON input` when the input stops inside a value.
    public static func parseDocument(_ bytes: [UInt8]) throws(GoJSONSyntaxError) -> GoJSONValue {
        let result: Result<GoJSONValue, GoJSONSyntaxError> = bytes.withUnsafeBufferPointer { buffer in
            var reader = GoJSONReader(buffer, endOfInput: .unexpectedEndOfInput)
            do throws(GoJSONSyntaxError) {
                let value = try reader.readValue()
                if !reader.atEnd() { throw .invalid(buffer[reader.position], "after top-level value") }
                return .success(value)
            } catch {
                return .failure(error)
            }
        }
        return try result.get()
    }
}

extension GoJSONReader {
    /// Reads the next value with everything in it. Nested containers are kept on a heap stack, not the call stack,
    /// so no document can exhaust the thread's stack (Go's limit of 10,000 levels applies).
    public mutating func readValue() throws(GoJSONSyntaxError) -> GoJSONValue {
        /// A container being read: its members or items so far, and the key the next value belongs to.
        struct Open {
            var isObject: Bool
            var members: [GoJSONValue.Member] = []
            var items: [GoJSONValue] = []
            var key = ""
            var first = true
        }
        var stack: [Open] = []
        while true {
            var value: GoJSONValue
            let kind = try peekKind()
            if kind == .object || kind == .array {
                var open = Open(isObject: kind == .object)
                if open.isObject { try beginObject() } else { try beginArray() }
                if let next = try nextSlot(of: &open) {
                    open.key = next
                    stack.append(open)
                    continue
                }
                value = open.isObject ? .object([]) : .array([])
            } else {
                value = try readScalar()
            }
            // A complete value: add it to its container, closing every container it completes, innermost first.
            while true {
                guard var top = stack.popLast() else { return value }
                if top.isObject {
                    top.members.append(GoJSONValue.Member(key: top.key, value: value))
                } else {
                    top.items.append(value)
                }
                if let next = try nextSlot(of: &top) {
                    top.key = next
                    stack.append(top)
                    break
                }
                value = top.isObject ? .object(top.members) : .array(top.items)
            }
        }

        /// Whether the container takes another value (its key for an object, "" for an array), nil at its end.
        func nextSlot(of open: inout Open) throws(GoJSONSyntaxError) -> String? {
            if open.isObject { return try nextKey(first: &open.first) }
            return try nextElement(first: &open.first) ? "" : nil
        }
    }

    /// Reads a string, number, boolean or null.
    private mutating func readScalar() throws(GoJSONSyntaxError) -> GoJSONValue {
        switch try peekKind() {
        case .object, .array:
            preconditionFailure("readScalar at a container")
        case .string:
            let start = position
            let value = try readString()
            return .string(value, raw: text(from: start))
        case .number:
            let start = position
            try skipNumber()
            return .number(text(from: start))
        case .bool: return .bool(try readBool())
        case .null:
            try readNull()
            return .null
        }
    }
}

/// A pull reader over UTF-8 JSON that reports syntax errors exactly as Go's scanner.
///
/// Only valid while the buffer it was created from is alive (use it inside `withUnsafeBufferPointer`).
public struct GoJSONReader {
    private let bytes: UnsafeBufferPointer<UInt8>
    /// The offset of the next byte to read.
    public private(set) var position = 0
    /// Containers open at `position`.
    private var depth = 0
    /// What running out of input inside a value throws: ``GoJSONSyntaxError/unexpectedEOF`` as a
    /// `json.Decoder` reports it, or ``GoJSONSyntaxError/unexpectedEndOfInput`` as `json.Unmarshal` does.
    private let endOfInput: GoJSONSyntaxError

    /// A reader over `bytes`, which must outlive it.
    public init(_ bytes: UnsafeBufferPointer<UInt8>, endOfInput: GoJSONSyntaxError = .unexpectedEOF) {
        self.bytes = bytes
        self.endOfInput = endOfInput
    }

    private static func isSpace(_ byte: UInt8) -> Bool {
        byte == 0x20 || byte == 0x0A || byte == 0x0D || byte == 0x09
    }

    /// Skips white space; false at the end of input.
    public mutating func skipSpace() -> Bool {
        while position < bytes.count {
            if !Self.isSpace(bytes[position]) { return true }
            position += 1
        }
        return false
    }

    /// Whether only white space is left.
    public mutating func atEnd() -> Bool { !skipSpace() }

    /// The input from `start` to the current position, as text.
    func text(from start: Int) -> String {
        String(decoding: UnsafeBufferPointer(rebasing: bytes[start..<position]), as: UTF8.self)
    }

    /// The kind of the value that starts here (after white space).
    public mutating func peekKind() throws(GoJSONSyntaxError) -> GoJSONKind {
        guard skipSpace() else { throw endOfInput }
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

    /// Go's `maxNestingDepth`: deeper documents are a syntax error.
    public static let maxDepth = 10_000

    /// Consumes `{`; past ``maxDepth`` open containers, Go's "exceeded max depth" error.
    public mutating func beginObject() throws(GoJSONSyntaxError) {
        try open()
    }

    private mutating func open() throws(GoJSONSyntaxError) {
        depth += 1
        guard depth <= Self.maxDepth else { throw .invalid(bytes[position], "exceeded max depth") }
        position += 1
    }

    /// The next key of an object, or nil after `}`; consumes the `:`.
    public mutating func nextKey(first: inout Bool) throws(GoJSONSyntaxError) -> String? {
        guard skipSpace() else { throw endOfInput }
        if first {
            first = false
            if bytes[position] == UInt8(ascii: "}") {
                position += 1
                depth -= 1
                return nil
            }
        } else {
            switch bytes[position] {
            case UInt8(ascii: "}"):
                position += 1
                depth -= 1
                return nil
            case UInt8(ascii: ","):
                position += 1
                guard skipSpace() else { throw endOfInput }
            case let other:
                throw .invalid(other, "after object key:value pair")
            }
        }
        guard bytes[position] == UInt8(ascii: "\"") else {
            throw .invalid(bytes[position], "looking for beginning of object key string")
        }
        let key = try readString()
        guard skipSpace() else { throw endOfInput }
        guard bytes[position] == UInt8(ascii: ":") else { throw .invalid(bytes[position], "after object key") }
        position += 1
        return key
    }

    /// Consumes `[`; past ``maxDepth`` open containers, Go's "exceeded max depth" error.
    public mutating func beginArray() throws(GoJSONSyntaxError) {
        try open()
    }

    /// Whether another element follows; consumes `,` or `]`.
    public mutating func nextElement(first: inout Bool) throws(GoJSONSyntaxError) -> Bool {
        guard skipSpace() else { throw endOfInput }
        if first {
            first = false
            if bytes[position] == UInt8(ascii: "]") {
                position += 1
                depth -= 1
                return false
            }
            return true
        }
        switch bytes[position] {
        case UInt8(ascii: "]"):
            position += 1
            depth -= 1
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
    public mutating func readString() throws(GoJSONSyntaxError) -> String {
        position += 1
        let start = position
        var plain = true
        while true {
            guard position < bytes.count else { throw endOfInput }
            let byte = bytes[position]
            if byte == UInt8(ascii: "\"") { break }
            if byte < 0x20 { throw .invalid(byte, "in string literal") }
            if byte == UInt8(ascii: "\\") {
                plain = false
                position += 1
                guard position < bytes.count else { throw endOfInput }
                switch bytes[position] {
                case UInt8(ascii: "\""), UInt8(ascii: "\\"), UInt8(ascii: "/"), UInt8(ascii: "b"), UInt8(ascii: "f"),
                    UInt8(ascii: "n"), UInt8(ascii: "r"), UInt8(ascii: "t"):
                    position += 1
                case UInt8(ascii: "u"):
                    position += 1
                    for _ in 0..<4 {
                        guard position < bytes.count else { throw endOfInput }
                        guard GoHex.value(bytes[position]) != nil else {
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

    /// Decodes a syntactically valid string body (without quotes).
    private static func unescape(_ raw: UnsafeBufferPointer<UInt8>) -> String {
        var out = String.UnicodeScalarView()
        var index = 0
        func hex4(at i: Int) -> UInt32 {
            var value: UInt32 = 0
            for k in i..<(i + 4) { value = value << 4 | UInt32(GoHex.value(raw[k]) ?? 0) }
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
    public mutating func readBool() throws(GoJSONSyntaxError) -> Bool {
        if bytes[position] == UInt8(ascii: "t") {
            try expectLiteral("true")
            return true
        }
        try expectLiteral("false")
        return false
    }

    /// Reads `null`.
    public mutating func readNull() throws(GoJSONSyntaxError) {
        try expectLiteral("null")
    }

    private mutating func expectLiteral(_ literal: StaticString) throws(GoJSONSyntaxError) {
        let expected = UnsafeBufferPointer(start: literal.utf8Start, count: literal.utf8CodeUnitCount)
        let name = "\(literal)"
        position += 1
        for index in 1..<expected.count {
            guard position < bytes.count else { throw endOfInput }
            guard bytes[position] == expected[index] else {
                let want = String(UnicodeScalar(expected[index]))
                throw .invalid(bytes[position], "in literal \(name) (expecting '\(want)')")
            }
            position += 1
        }
    }

    /// Skips a number with Go's error wording. At the end of input a complete number is accepted.
    public mutating func skipNumber() throws(GoJSONSyntaxError) {
        func isDigit(_ b: UInt8) -> Bool { b >= UInt8(ascii: "0") && b <= UInt8(ascii: "9") }
        if bytes[position] == UInt8(ascii: "-") {
            position += 1
            guard position < bytes.count else { throw endOfInput }
            guard isDigit(bytes[position]) else { throw .invalid(bytes[position], "in numeric literal") }
        }
        if bytes[position] == UInt8(ascii: "0") {
            position += 1
        } else {
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: ".") {
            position += 1
            guard position < bytes.count else { throw endOfInput }
            guard isDigit(bytes[position]) else {
                throw .invalid(bytes[position], "after decimal point in numeric literal")
            }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
        if position < bytes.count, bytes[position] == UInt8(ascii: "e") || bytes[position] == UInt8(ascii: "E") {
            position += 1
            guard position < bytes.count else { throw endOfInput }
            if bytes[position] == UInt8(ascii: "+") || bytes[position] == UInt8(ascii: "-") {
                position += 1
                guard position < bytes.count else { throw endOfInput }
            }
            guard isDigit(bytes[position]) else { throw .invalid(bytes[position], "in exponent of numeric literal") }
            while position < bytes.count, isDigit(bytes[position]) { position += 1 }
        }
    }

    /// Skips any value, checking its syntax; returns its kind. Nested containers are tracked on a heap stack, not
    /// the call stack (Go's limit of 10,000 levels applies).
    @discardableResult
    public mutating func skipValue() throws(GoJSONSyntaxError) -> GoJSONKind {
        let kind = try peekKind()
        /// Open containers: whether each is an object, and whether its first slot is still to come.
        var open: [(isObject: Bool, first: Bool)] = []
        var next = kind
        while true {
            switch next {
            case .object:
                try beginObject()
                open.append((true, true))
            case .array:
                try beginArray()
                open.append((false, true))
            case .string: _ = try readString()
            case .number: try skipNumber()
            case .bool: _ = try readBool()
            case .null: try readNull()
            }
            // Find the next value to read, closing the containers that end here.
            while let top = open.last {
                var first = top.first
                let more = top.isObject ? try nextKey(first: &first) != nil : try nextElement(first: &first)
                open[open.count - 1].first = first
                if more { break }
                open.removeLast()
            }
            if open.isEmpty { return kind }
            next = try peekKind()
        }
    }

    /// Reads a string, or nil for `null`; any other kind is skipped and reported in `mismatch`.
    public mutating func readOptionalString(mismatch: inout GoJSONKind?) throws(GoJSONSyntaxError) -> String? {
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
    /// Whether this key names `field` for `encoding/json`, which matches ASCII keys to struct fields
    /// case-insensitively.
    public func goFieldEquals(_ field: StaticString) -> Bool {
        let utf8 = self.utf8
        guard utf8.count == field.utf8CodeUnitCount else { return false }
        let expected = UnsafeBufferPointer(start: field.utf8Start, count: field.utf8CodeUnitCount)
        for (index, byte) in utf8.enumerated() where byte | 0x20 != expected[index] | 0x20 {
            return false
        }
        return true
    }
}
