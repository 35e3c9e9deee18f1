import KlaxonGoCompat
import Testing

@Suite struct GoJSONWriterTests {
    /// Go's encoding/json: "String values encode as JSON strings coerced to valid UTF-8 ... So that the JSON
    /// will be safe to embed inside HTML <script> tags, the string is encoded using HTMLEscape, which replaces
    /// "<", ">", "&", U+2028, and U+2029 are escaped to "\u003c","\u003e", "\u0026", "\u2028", and "\u2029".
    /// This replacement can be disabled when using an Encoder, by calling SetEscapeHTML(false)." Control
    /// characters other than \n \r \t become \u00XX; U+2028 and U+2029 are escaped either way.
    static let strings: [(String, html: String, plain: String)] = [
        ("plain", #""plain""#, #""plain""#),
        ("<a&b>", #""\u003ca\u0026b\u003e""#, #""<a&b>""#),
        ("q\"b\\s/", #""q\"b\\s/""#, #""q\"b\\s/""#),
        (
            "\n\r\t\u{08}\u{0C}\u{01}\u{7F}", #""\n\r\t\u0008\u000c\u0001\#u{7F}""#,
            #""\n\r\t\u0008\u000c\u0001\#u{7F}""#
        ),
        ("é\u{2028}\u{2029}😀\u{A0}", "\"é\\u2028\\u2029😀\u{A0}\"", "\"é\\u2028\\u2029😀\u{A0}\""),
    ]

    @Test(arguments: strings)
    func stringsAreEscapedAsGo(input: String, html: String, plain: String) {
        var writer = GoJSONWriter()
        writer.string(input)
        #expect(String(decoding: writer.bytes, as: UTF8.self) == html)
        #expect(GoJSONWriter.quoted(input) == html)
        var unescaped = GoJSONWriter(escapeHTML: false)
        unescaped.string(input)
        #expect(String(decoding: unescaped.bytes, as: UTF8.self) == plain)
        #expect(GoJSONWriter.quoted(input, escapeHTML: false) == plain)
    }
}

@Suite struct GoJSONReaderTests {
    /// Go's scanner errors: `invalid character 'c' <context>` with the byte quoted by quoteChar, and at the
    /// end of input `unexpected end of JSON input` from json.Unmarshal.
    static let syntaxErrors: [(String, String)] = [
        ("", "unexpected end of JSON input"),
        ("   ", "unexpected end of JSON input"),
        ("{", "unexpected end of JSON input"),
        (#"{"a":1"#, "unexpected end of JSON input"),
        ("x", "invalid character 'x' looking for beginning of value"),
        ("{1}", "invalid character '1' looking for beginning of object key string"),
        (#"{"a" 1}"#, "invalid character '1' after object key"),
        (#"{"a":1 "b":2}"#, #"invalid character '"' after object key:value pair"#),
        ("[1 2]", "invalid character '2' after array element"),
        ("[1,]", "invalid character ']' looking for beginning of value"),
        ("tru", "unexpected end of JSON input"),
        ("trUe", "invalid character 'U' in literal true (expecting 'u')"),
        ("nul", "unexpected end of JSON input"),
        ("-x", "invalid character 'x' in numeric literal"),
        ("1.x", "invalid character 'x' after decimal point in numeric literal"),
        ("1ex", "invalid character 'x' in exponent of numeric literal"),
        ("01", "invalid character '1' after top-level value"),
        (#""a\qb""#, "invalid character 'q' in string escape code"),
        (#""\u12x4""#, #"invalid character 'x' in \u hexadecimal character escape"#),
        ("\"a\u{01}\"", #"invalid character '\x01' in string literal"#),
        ("\u{A0}", #"invalid character 'Â' looking for beginning of value"#),
        ("{} {}", "invalid character '{' after top-level value"),
        ("'x'", #"invalid character '\'' looking for beginning of value"#),
    ]

    @Test(arguments: syntaxErrors)
    func syntaxErrorsAreWordedLikeGo(input: String, message: String) {
        #expect(throws: GoJSONSyntaxError(message: message)) { try GoJSONValue.parseDocument(Array(input.utf8)) }
    }

    @Test func aDecoderReportsTheEndOfInputAsUnexpectedEOF() {
        let bytes = Array(#"{"a":[1,"#.utf8)
        #expect(throws: GoJSONSyntaxError.unexpectedEOF) {
            try bytes.withUnsafeBufferPointer { buffer throws(GoJSONSyntaxError) in
                var reader = GoJSONReader(buffer)
                try reader.skipValue()
            }
        }
    }

    /// Strings: Go decodes escapes, pairs surrogates, and replaces lone surrogates and invalid UTF-8 with U+FFFD.
    /// Objects keep their keys in order, duplicates included; numbers and strings keep their raw tokens.
    static let documents: [(String, GoJSONValue)] = [
        (
            #" {"b":1.5e3,"a":[true,false,null],"b":"x"} "#,
            .object([
                .init(key: "b", value: .number("1.5e3")),
                .init(key: "a", value: .array([.bool(true), .bool(false), .null])),
                .init(key: "b", value: .string("x", raw: #""x""#)),
            ])
        ),
        (
            #""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x\udc00""#,
            .string(
                "\"\\/\u{08}\u{0C}\n\r\t\u{E9}😀\u{FFFD}x\u{FFFD}",
                raw: #""\"\\\/\b\f\n\r\t\u00e9\ud83d\ude00\ud800x\udc00""#)
        ),
        ("-0.5", .number("-0.5")),
    ]

    @Test(arguments: documents)
    func documentsDecodeAsGoDecodesThem(input: String, expected: GoJSONValue) throws {
        #expect(try GoJSONValue.parseDocument(Array(input.utf8)) == expected)
    }

    @Test func invalidUTF8InStringsBecomesTheReplacementCharacter() throws {
        let bytes: [UInt8] = [0x22, 0x61, 0xFF, 0x62, 0x22]
        #expect(try GoJSONValue.parseDocument(bytes) == .string("a\u{FFFD}b", raw: "\"a\u{FFFD}b\""))
    }

    /// encoding/json matches object keys to struct fields case-insensitively.
    static let fields: [(String, Bool)] = [
        ("startsAt", true), ("STARTSAT", true), ("startsAt2", false), ("starts", false),
    ]

    @Test(arguments: fields)
    func keysMatchFieldsIgnoringASCIICase(key: String, matches: Bool) {
        #expect(key.goFieldEquals("startsAt") == matches)
    }
}

/// Deeply nested documents: Go's limit and message, and no stack exhaustion however deep the input goes.
@Suite struct GoJSONNestingTests {
    @Test func tenThousandLevelsParseAndOneMoreIsGosMaxDepthError() throws {
        let deepest =
            Array(String(repeating: "[", count: 10_000).utf8) + Array(String(repeating: "]", count: 10_000).utf8)
        _ = try GoJSONValue.parseDocument(deepest)
        let tooDeep =
            Array(String(repeating: "[", count: 10_001).utf8) + Array(String(repeating: "]", count: 10_001).utf8)
        #expect(throws: GoJSONSyntaxError(message: "invalid character '[' exceeded max depth")) {
            try GoJSONValue.parseDocument(tooDeep)
        }
    }

    @Test func aMillionOpenBracketsAreAnErrorNotACrash() throws {
        let bytes = Array(String(repeating: "[", count: 1_000_000).utf8)
        bytes.withUnsafeBufferPointer { buffer in
            var reader = GoJSONReader(buffer)
            #expect(throws: GoJSONSyntaxError.self) { try reader.skipValue() }
        }
        let objects = Array(String(repeating: #"{"a":"#, count: 200_000).utf8)
        #expect(throws: GoJSONSyntaxError(message: "invalid character '{' exceeded max depth")) {
            try GoJSONValue.parseDocument(objects)
        }
    }

    @Test func nestedValuesReadBackInOrder() throws {
        let value = try GoJSONValue.parseDocument(Array(#"{"a":[1,{"b":[]},[[]]],"c":{}}"#.utf8))
        guard case .object(let members) = value else {
            Issue.record("\(value)")
            return
        }
        #expect(members.map(\.key) == ["a", "c"])
        guard case .array(let items) = members[0].value else {
            Issue.record("\(members)")
            return
        }
        #expect(items.count == 3)
        if case .object(let inner) = items[1] { #expect(inner.map(\.key) == ["b"]) } else { Issue.record("\(items)") }
        if case .array(let inner) = items[2] { #expect(inner.count == 1) } else { Issue.record("\(items)") }
        if case .object(let empty) = members[1].value { #expect(empty.isEmpty) } else { Issue.record("\(members)") }
    }
}
