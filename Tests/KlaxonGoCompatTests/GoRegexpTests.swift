import Foundation
import KlaxonGoCompat
import Testing

@Suite struct GoRegexpTests {
    /// Go's regexp/syntax: "(?P<name>re) named & numbered capturing group"; and a `{` that does not open a
    /// repetition `x{n,m}`, `x{n,}` or `x{n}` is a literal (`a{`, `{x}`, `a{,2}`), where ICU rejects the pattern.
    static let patterns: [(go: String, icu: String, matching: String, notMatching: String)] = [
        ("(?P<host>[a-z]+):\\d+", "(?<host>[a-z]+):\\d+", "web:80", ":80"),
        ("a{2}", "a{2}", "aa", "a{2}"),
        ("a{2,}b", "a{2,}b", "aaab", "ab"),
        ("a{1,2}$", "a{1,2}$", "aa", "b"),
        ("a{", "a\\{", "a{", "a"),
        ("{x}", "\\{x\\}", "{x}", "x"),
        ("a{,2}", "a\\{,2\\}", "a{,2}", "aa"),
        ("[{}]+", "[{}]+", "{}", "x"),
        ("\\{literal\\}", "\\{literal\\}", "{literal}", "literal"),
    ]

    @Test(arguments: patterns)
    func goPatternsTranslateToICU(go: String, icu: String, matching: String, notMatching: String) throws {
        #expect(GoRegexp.icuPattern(go) == icu)
        let regex = try NSRegularExpression(pattern: "^(?:" + GoRegexp.icuPattern(go) + ")$")
        func matches(_ text: String) -> Bool {
            regex.firstMatch(in: text, range: NSRange(location: 0, length: (text as NSString).length)) != nil
        }
        #expect(matches(matching))
        #expect(!matches(notMatching))
    }
}
