import KlaxonGoCompat
import Testing

@Suite struct GoQuoteTests {
    /// Go: "Quote returns a double-quoted Go string literal representing s. The returned string uses Go escape
    /// sequences (\t, \n, \xFF, \u0100) for control characters and non-printable characters as defined by
    /// IsPrint." Short escapes for \a \b \f \n \r \t \v, \xNN below U+0080, \uNNNN below U+10000, else \UNNNNNNNN.
    static let quoted: [(String, String)] = [
        ("", #""""#),
        ("plain text", #""plain text""#),
        ("a\"b\\c", #""a\"b\\c""#),
        ("\u{07}\u{08}\u{0C}\n\r\t\u{0B}", #""\a\b\f\n\r\t\v""#),
        ("\u{00}\u{1B}\u{7F}", #""\x00\x1b\x7f""#),
        ("\u{80}\u{9F}", #""\u0080\u009f""#),
        // Spaces: only U+0020 is printable.
        (" ", #"" ""#),
        ("a\u{A0}b", #""a\u00a0b""#),
        ("\u{1680}\u{2000}\u{200A}\u{202F}\u{205F}\u{3000}", #""\u1680\u2000\u200a\u202f\u205f\u3000""#),
        // Zl and Zp.
        ("\u{2028}\u{2029}", #""\u2028\u2029""#),
        // Cf: soft hyphen, zero-width space and joiners, marks, BOM, tag characters.
        ("\u{AD}\u{200B}\u{200C}\u{200D}\u{200E}\u{200F}\u{FEFF}", #""\u00ad\u200b\u200c\u200d\u200e\u200f\ufeff""#),
        ("\u{E0001}", #""\U000e0001""#),
        // Co private use, and Cn unassigned (U+0378 and U+FFFF are not characters).
        ("\u{E000}\u{F8FF}\u{F0000}", #""\ue000\uf8ff\U000f0000""#),
        ("\u{378}\u{FFFF}", #""\u0378\uffff""#),
        // Printable: letters, marks, numbers, punctuation, symbols, in every plane.
        ("é日本\u{301}½€😀\u{FFFD}", "\"é日本\u{301}½€😀\u{FFFD}\""),
        ("\u{1D11E}", "\"\u{1D11E}\""),
    ]

    @Test(arguments: quoted)
    func quoteEscapesWhatIsPrintRejects(input: String, expected: String) {
        #expect(GoQuote.quote(input) == expected)
    }

    /// Go: "IsPrint reports whether the rune is defined as printable by Go, with the same definition as
    /// unicode.IsPrint: letters, numbers, punctuation, symbols and ASCII space."
    static let printable: [(Unicode.Scalar, Bool)] = [
        (" ", true), ("a", true), ("~", true), ("\u{7F}", false), ("\u{1F}", false), ("\u{A0}", false),
        ("\u{A1}", true), ("\u{AD}", false), ("\u{2007}", false), ("\u{2028}", false), ("\u{3000}", false),
        ("\u{FEFF}", false), ("\u{E000}", false), ("\u{FFFD}", true), ("\u{301}", true), ("\u{1F600}", true),
        ("\u{10FFFF}", false),
    ]

    @Test(arguments: printable)
    func isPrintAcceptsOnlyGraphicRunesAndTheASCIISpace(scalar: Unicode.Scalar, expected: Bool) {
        #expect(GoQuote.isPrint(scalar) == expected)
    }

    /// Go: "QuoteRune returns a single-quoted Go character literal representing the rune." `'` is escaped,
    /// `"` is not; Go's encoding/json `quoteChar` is QuoteRune of the byte's rune.
    static let runes: [(Unicode.Scalar, String)] = [
        ("a", "'a'"), ("'", #"'\''"#), ("\"", #"'"'"#), ("\\", #"'\\'"#), ("\n", #"'\n'"#), ("\u{01}", #"'\x01'"#),
        ("\u{A0}", #"'\u00a0'"#), ("\u{C3}", "'Ã'"), ("\u{1F600}", "'😀'"), ("\u{F0000}", #"'\U000f0000'"#),
    ]

    @Test(arguments: runes)
    func quoteRuneUsesSingleQuotes(scalar: Unicode.Scalar, expected: String) {
        #expect(GoQuote.quoteRune(scalar) == expected)
    }

    /// Go: "Unquote interprets s as a single-quoted, double-quoted, or backquoted Go string literal, returning
    /// the string value that s quotes. (If s is single-quoted, it would be a Go character literal; Unquote
    /// returns the corresponding one-character string.)" Carriage returns are dropped from raw strings.
    static let unquoted: [(String, String?)] = [
        (#""a\tb""#, "a\tb"), (#""\x41\u00e9\U0001F600\101""#, "Aé😀A"), ("`raw\\n\r`", "raw\\n"),
        ("'x'", "x"), (#"'\''"#, "'"), ("'ab'", nil), (#""unterminated"#, nil), (#""bad \q""#, nil),
        (#""a"b""#, nil), (#""\400""#, nil), ("x", nil),
    ]

    @Test(arguments: unquoted)
    func unquoteReadsGoLiterals(input: String, expected: String?) {
        #expect(GoQuote.unquote(input) == expected)
    }

    /// Go: "Atoi is equivalent to ParseInt(s, 10, 0), converted to type int." A sign, then decimal digits;
    /// `ErrSyntax` for anything else, `ErrRange` beyond 64 bits.
    static let integers: [(String, Result<Int, GoStrconv.AtoiFailure>)] = [
        ("0", .success(0)), ("+12", .success(12)), ("-12", .success(-12)), ("007", .success(7)),
        ("9223372036854775807", .success(Int.max)), ("-9223372036854775808", .success(Int.min)),
        ("9223372036854775808", .failure(.range)), ("99999999999999999999x", .failure(.range)),
        ("", .failure(.syntax)), ("-", .failure(.syntax)), (" 1", .failure(.syntax)), ("1_000", .failure(.syntax)),
        ("0x10", .failure(.syntax)),
    ]

    @Test(arguments: integers)
    func atoiParsesDecimalIntegers(input: String, expected: Result<Int, GoStrconv.AtoiFailure>) {
        #expect(GoStrconv.atoi(input) == expected)
    }
}
