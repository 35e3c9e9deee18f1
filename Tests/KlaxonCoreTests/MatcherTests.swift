import Testing

@testable import KlaxonCore

@Test(arguments: [
    ("foo=bar", "foo", Matcher.MatchType.equal, "bar"),
    ("foo = bar baz ", "foo", .equal, "bar baz"),
    (#"foo="bar""#, "foo", .equal, "bar"),
    (#"foo!="bar""#, "foo", .notEqual, "bar"),
    (#"foo=~"b.*""#, "foo", .regexMatch, "b.*"),
    (#"foo!~"b.*""#, "foo", .regexNoMatch, "b.*"),
    (#"foo="a\"b""#, "foo", .equal, "a\"b"),
    (#"foo="a\\b""#, "foo", .equal, "a\\b"),
    (#"foo="a\nb""#, "foo", .equal, "a\nb"),
    (#"foo="a\db""#, "foo", .equal, "a\\db"),
    ("foo=", "foo", .equal, ""),
    (#"foo="""#, "foo", .equal, ""),
    ("  foo  !~  x|y  ", "foo", .regexNoMatch, "x|y"),
    ("a:b=c", "a:b", .equal, "c"),
])
func matcherFormsParseLikeAlertmanager(text: String, name: String, type: Matcher.MatchType, value: String) throws {
    let m = try Matcher.parse(text)
    #expect(m.name == name)
    #expect(m.type == type)
    #expect(m.value == value)
}

@Test(arguments: [
    ("foo", "bad matcher format: foo"),
    ("=bar", "bad matcher format: =bar"),
    ("0foo=bar", "bad matcher format: 0foo=bar"),
    ("foo~bar", "bad matcher format: foo~bar"),
    (#"foo="bar"#, #"matcher value contains unescaped double quote: "bar"#),
    (#"foo=ba"r"#, #"matcher value contains unescaped double quote: ba"r"#),
    (#"foo=~"(""#, "error parsing regexp: missing closing ): `^(?:()$`"),
    (#"foo=~")""#, "error parsing regexp: unexpected ): `^(?:))$`"),
    (#"foo=~"*""#, "error parsing regexp: missing argument to repetition operator: `*`"),
    (#"foo=~"a**""#, "error parsing regexp: invalid nested repetition operator: `**`"),
    (#"foo=~"[a""#, "error parsing regexp: missing closing ]: `[a)$`"),
])
func invalidMatchersFailWithAlertmanagersMessage(text: String, message: String) {
    #expect { try Matcher.parse(text) } throws: { ($0 as? MatcherError)?.message == message }
}

@Test func regexMatchersAreFullyAnchored() throws {
    let m = try Matcher.parse(#"job=~"api|web""#)
    #expect(m.matches(LabelSet(["job": "api"])))
    #expect(!m.matches(LabelSet(["job": "api2"])))
    let r = try Matcher.parse(#"job=~"a.i""#)
    #expect(r.matches(LabelSet(["job": "api"])))
    #expect(!r.matches(LabelSet(["job": "xapi"])))
    #expect(!r.matches(LabelSet(["job": "api\n"])))
    let prefix = try Matcher.parse(#"alertname=~"Tenant.*""#)
    #expect(prefix.matches(LabelSet(["alertname": "TenantDiskFull"])))
    #expect(!prefix.matches(LabelSet(["alertname": "PlatformDown"])))
}

@Test func missingLabelMatchesTheEmptyString() throws {
    let labels: LabelSet = ["a": "1"]
    #expect(try Matcher.parse(#"foo="""#).matches(labels))
    #expect(try Matcher.parse(#"foo!="bar""#).matches(labels))
    #expect(try Matcher.parse(#"foo=~".*""#).matches(labels))
    #expect(!(try Matcher.parse(#"foo=~".+""#).matches(labels)))
    #expect(!(try Matcher.parse(#"foo!~"""#).matches(labels)))
}

@Test func matcherListsSplitOnCommasOutsideQuotes() throws {
    let ms = try Matchers.parse(#"{a="1, 2", b=~"x|y",c!=3}"#)
    #expect(ms.matchers.map(\.description) == [#"a="1, 2""#, #"b=~"x|y""#, #"c!="3""#])
    #expect(try Matchers.parse("a=1,").matchers.count == 1)
    #expect(try Matchers.parse("").matchers.isEmpty)
    #expect { try Matchers.parse("a=1,,b=2") } throws: { ($0 as? MatcherError)?.message == "bad matcher format: " }
}

@Test func matcherListErrorsCarryTheOffendingPosition() {
    do {
        _ = try Matchers.parse(#"{a="1",b}"#)
        Issue.record("expected an error")
    } catch {
        #expect(error.message == "bad matcher format: b")
        #expect(error.offset == 7)
    }
}

@Test func matchersRenderWithEscapes() throws {
    let m = try Matcher(type: .equal, name: "a", value: "x\"y\\z\nw")
    #expect(m.description == #"a="x\"y\\z\nw""#)
    let set = Matchers([try Matcher.parse("b=2"), try Matcher.parse("a=~1")]).sorted
    #expect(set.description == #"{a=~"1",b="2"}"#)
}

@Test func fuzzedMatcherInputNeverCrashes() {
    var rng = MatcherFuzzRNG(seed: 42)
    let alphabet = Array(#"ab_:=!~"\,{} .*()[]|+?0\#n"#.unicodeScalars) + ["é", "\u{0}", "\n"]
    for _ in 0..<5000 {
        let length = Int(rng.next() % 24)
        var s = String.UnicodeScalarView()
        for _ in 0..<length { s.append(alphabet[Int(rng.next() % UInt64(alphabet.count))]) }
        let text = String(s)
        if let ms = try? Matchers.parse(text) {
            for m in ms.matchers { _ = m.matches(LabelSet(["a": text])) }
        }
    }
}

/// Deterministic generator for fuzz-style tests.
private struct MatcherFuzzRNG: RandomNumberGenerator {
    var state: UInt64
    init(seed: UInt64) { state = seed }
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}

@Test(arguments: [
    (#"(?i)abc"#, "ABC", true), (#"(?:a|b)c"#, "bc", true), (#"(?:a|b)c"#, "c", false),
    (#"(?P<x>a)+"#, "aa", true), (#"wa{rn"#, "wa{rn", true), (#"a{2}"#, "aa", true), (#"a{2}"#, "a{2}", false),
    (#"x{1,}y"#, "xxy", true), (#"[{]"#, "{", true),
])
func goRegexSyntaxIsAccepted(pattern: String, value: String, matches: Bool) throws {
    let m = try Matcher(type: .regexMatch, name: "a", value: pattern)
    #expect(m.matches(value) == matches)
}

/// Found by fuzzing (Fuzz/, the silence target): a regex that is not valid RE2 (here a class range running
/// backwards, `9--`) went on to ICU after the linear engine refused it, and ICU accepted it where Go refuses it.
/// Nothing reaches ICU now: Unicode property classes run on the linear engine too, and what it cannot compile is
/// refused.
@Test(arguments: [
    ("[9--*S9)$]", false), ("a[z-a]", false), (#"w|~~>~~|~ing ]: `[9--*S9)$`/~~0,9]1"#, false),
    (#"\pL+"#, true), (#"[\p{Greek}x]+"#, true), (#"\PL"#, true), (#"\pL[z-a]"#, false), (#"\p{Greek"#, false),
    (#"a\\p"#, true), ("abc(", false), (#"\pz"#, false), (#"\p{Nope}+"#, false), (#"[^\P{^Greek}]"#, true),
])
func invalidPatternsAreRefusedAndPropertyClassesCompile(pattern: String, valid: Bool) {
    #expect(((try? Matcher(type: .regexMatch, name: "a", value: pattern)) != nil) == valid)
}

/// Every property name Go knows compiles, inside and outside brackets.
@Test func everyPropertyNameGoKnowsCompiles() throws {
    for name in GoUnicodeProperties.names {
        _ = try Matcher(type: .regexMatch, name: "a", value: "\\p{\(name)}x\\P{^\(name)}")
    }
    for letter in GoUnicodeProperties.oneLetterNames {
        _ = try Matcher(type: .regexMatch, name: "a", value: "[\\p\(letter)]")
    }
}

/// Found by fuzzing (the matchers and silence targets): Foundation kept its UTF-16 copy of every regex longer than
/// 256 units that it compiled, so such patterns with a property class were refused. They run on the linear engine
/// now, at any length.
@Test func longPatternsWithPropertyClassesMatch() throws {
    let long = try Matcher(type: .regexMatch, name: "a", value: #"\pL"# + String(repeating: "a", count: 300))
    #expect(long.matches("é" + String(repeating: "a", count: 300)))
    #expect(!long.matches("1" + String(repeating: "a", count: 300)))
}

/// Go's property classes, one-letter (`\pL`) and named (`\p{Greek}`), match as in Alertmanager; both forms used to be
/// refused by ICU as Klaxon handed them over.
@Test func invalidRegexesAreRefusedAndPropertyClassesMatch() throws {
    for pattern in ["[9--*S9)$]", "a[z-a]", #"\pL[z-a]"#] {
        #expect(throws: MatcherError.self) { try Matcher(type: .regexMatch, name: "a", value: pattern) }
    }
    let letters = try Matcher(type: .regexMatch, name: "a", value: #"\pL+"#)
    #expect(letters.matches("Grüße"))
    #expect(!letters.matches("42"))
    let greek = try Matcher(type: .regexMatch, name: "a", value: #"[\p{Greek}x]+"#)
    #expect(greek.matches("αβx"))
    #expect(!greek.matches("ab"))
    // Outside brackets too (its braces used to be escaped as literal ones, so ICU refused it).
    let greekOnly = try Matcher(type: .regexMatch, name: "a", value: #"\p{Greek}+"#)
    #expect(greekOnly.matches("αβ"))
    let notGreek = try Matcher(type: .regexMatch, name: "a", value: #"\p{^Greek}+"#)
    #expect(notGreek.matches("ab"))
    #expect(!notGreek.matches("αβ"))
}
