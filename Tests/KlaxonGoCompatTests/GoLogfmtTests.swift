import KlaxonGoCompat
import Testing

@Suite struct GoLogfmtTests {
    /// go-logfmt's own TestEncodeKeyval string cases (value column), plus control characters, U+2028 and HTML
    /// characters, which it leaves as they are where encoding/json would escape them.
    static let values: [(String, String)] = [
        ("v", "v"),
        ("", ""),
        ("null", #""null""#),
        ("<nil>", "<nil>"),
        ("v v", #""v v""#),
        (" ", #"" ""#),
        (#"""#, #""\"""#),
        ("=", #""=""#),
        (#"\"#, #"\"#),
        (#"=\"#, #""=\\""#),
        (#"\""#, #""\\\"""#),
        ("\u{FFFD}\u{0}", #""\ufffd\u0000""#),
        ("\u{FFFD}", #""\ufffd""#),
        ("a\tb", #""a\tb""#),
        ("line\nnext\r", #""line\nnext\r""#),
        ("bell\u{07}", #""bell\u0007""#),
        ("<a&b> é\u{2028}", "\"<a&b> é\u{2028}\""),
        ("é\u{2028}", "é\u{2028}"),
    ]

    @Test(arguments: values)
    func valuesAreQuotedOnlyWhereGoLogfmtQuotesThem(input: String, expected: String) {
        #expect(GoLogfmt.value(input) == expected)
    }
}
