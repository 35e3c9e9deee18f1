import Foundation
import Testing

@testable import KlaxonTemplate

/// Functions Alertmanager added after 0.25 (so amtool 0.25 cannot record them); expected values follow
/// Alertmanager's and Prometheus' documented behaviour.
struct FunctionTests {
    struct Case: Sendable, CustomTestStringConvertible {
        var template: String
        var expected: String
        var testDescription: String { template }
    }

    static let cases: [Case] = [
        Case(template: #"{{ trimSpace "  x y \n\t" }}"#, expected: "x y"),
        Case(template: #"{{ date "2006-01-02 15:04" (index .Alerts 0).StartsAt }}"#, expected: "2026-11-22 06:12"),
        Case(
            template: #"{{ (index .Alerts 0).StartsAt | date "Jan 2, 2006 at 3:04pm (MST)" }}"#,
            expected: "Nov 22, 2026 at 6:12am (UTC)"),
        Case(
            template: #"{{ tz "Europe/Paris" (index .Alerts 0).StartsAt }}"#,
            expected: "2026-11-22 07:12:19.357 +0100 CET"),
        Case(
            template: #"{{ (index .Alerts 0).StartsAt | tz "America/New_York" | date "15:04 -07:00" }}"#,
            expected: "01:12 -05:00"),
        Case(
            template: #"{{ humanizeDuration 0 }}|{{ humanizeDuration 1 }}|{{ humanizeDuration 1.5 }}"#,
            expected: "0s|1s|1.5s"),
        Case(
            template: #"{{ humanizeDuration 60 }}|{{ humanizeDuration 3661 }}|{{ humanizeDuration 90061 }}"#,
            expected: "1m 0s|1h 1m 1s|1d 1h 1m 1s"),
        Case(
            template: #"{{ humanizeDuration 0.001 }}|{{ humanizeDuration 0.0000015 }}|{{ humanizeDuration -5 }}"#,
            expected: "1ms|1.5us|-5s"),
        Case(template: #"{{ humanizeDuration "120" }}|{{ humanizeDuration 12.3456 }}"#, expected: "2m 0s|12.35s"),
        Case(
            template: #"{{ toJson .CommonLabels }}"#,
            expected: #"{"alertname":"HighLatency","job":"api","severity":"critical"}"#),
        Case(
            template: #"{{ toJson .CommonLabels.Names }}|{{ toJson "a<b" }}|{{ toJson 1.5 }}|{{ toJson nil }}"#,
            expected: #"["alertname","job","severity"]|"a\u003cb"|1.5|null"#),
        Case(
            template: #"{{ toJson (index .Alerts 1) }}"#,
            expected: #"{"status":"firing","labels":{"alertname":"HighLatency","instance":"web-2:9090","job":"api","#
                + #""severity":"critical","zone":"eu-west-1"},"annotations":{"summary":"Latency is high"},"#
                + #""startsAt":"2026-11-22T06:10:00Z","endsAt":"0001-01-01T00:00:00Z","#
                + #""generatorURL":"http://prom:9090/graph?g0.expr=y","fingerprint":"0f1e2d3c4b5a6978"}"#),
    ]

    @Test(arguments: cases)
    func laterAlertmanagerFunctionsWork(_ testCase: Case) throws {
        let output = try TemplateSet.defaults().render(text: testCase.template, data: Fixtures.data().value())
        #expect(output == testCase.expected)
    }

    /// Go's `%q` is `strconv.Quote`, which escapes every rune that `strconv.IsPrint` rejects: spaces other than
    /// U+0020, line and paragraph separators, format characters and private use, while U+FFFD is printable.
    @Test(arguments: [
        (#"{{ printf "%q" "a\u00a0b" }}"#, #""a\u00a0b""#),
        (#"{{ printf "%q" "\u2028\u2029\u3000\u2000" }}"#, #""\u2028\u2029\u3000\u2000""#),
        (#"{{ printf "%q" "\ue000\u00ad\ufeff" }}"#, #""\ue000\u00ad\ufeff""#),
        (#"{{ printf "%q" "\ufffd é" }}"#, "\"\u{FFFD} é\""),
        (#"{{ printf "%q" 160 }}"#, #"'\u00a0'"#),
    ])
    func quotedVerbEscapesWhatGoDoesNotPrint(_ template: String, _ expected: String) throws {
        #expect(try TemplateSet().render(text: template, data: .null) == expected)
    }

    /// Found by fuzzing (Fuzz/, the template target): a written-out width past Int's range trapped on overflow and
    /// killed klaxon at notification time. Go's fmt ignores a width or precision beyond 1e6 (the rest of the format
    /// is consumed), and so does Klaxon; one taken from an argument (`*`) is ignored too.
    @Test(arguments: [
        (#"{{ printf "%99999999999999999999d" 1 }}"#, "%!(NOVERB)%!(EXTRA int=1)"),
        (#"{{ printf "[%.99999999999999999999f]" 1.5 }}"#, "[%!(NOVERB)%!(EXTRA float64=1.5)"),
        (#"{{ printf "[%*d]" 99999999999 7 }}"#, "[7]"), (#"{{ printf "[%*d]" -99999999999 7 }}"#, "[7]"),
        (#"{{ printf "[%5d]" 7 }}"#, "[    7]"),
    ])
    func hugeWidthsAreIgnoredAsInGo(_ template: String, _ expected: String) throws {
        #expect(try TemplateSet().render(text: template, data: .null) == expected)
    }

    /// Found by fuzzing (Fuzz/, the template target): an invalid pattern given to `match` or `reReplaceAll` (a label
    /// value, say) reached ICU, and Foundation leaks every failed ICU compilation. It is refused as Go refuses it;
    /// valid patterns, property classes included, work (on the linear engine: no template pattern reaches ICU).
    @Test func invalidRegexesAreRefusedAndPropertyClassesWork() throws {
        for template in [#"{{ match "a[z-a]" "a" }}"#, #"{{ reReplaceAll "\\pz" "x" "a" }}"#] {
            #expect(throws: TemplateError.self) { try TemplateSet.defaults().render(text: template, data: .null) }
        }
        let rendered = try TemplateSet.defaults().render(
            text: #"{{ match "^\\pL+$" "Grüße" }} {{ reReplaceAll "(\\p{Greek}+)" "<$1>" "abγδ" }}"#, data: .null)
        #expect(rendered == "true ab<γδ>")
    }

    /// A template pattern Go refuses fails the render with Go's words: `match` returns regexp's error, and
    /// `reReplaceAll` has `regexp.MustCompile`'s (which quotes the pattern with Go's `quote`). Recorded from Go 1.19's
    /// text/template with Alertmanager's two functions (what precedes `error calling` names the template).
    @Test(arguments: [
        (
            #"{{ match "a[z-a]" "a" }}"#,
            #"<match "a[z-a]" "a">: error calling match: error parsing regexp: invalid character class range: `z-a`"#
        ),
        (
            #"{{ reReplaceAll "\\pz" "x" "a" }}"#,
            #"<reReplaceAll "\\pz" "x" "a">: error calling reReplaceAll: regexp: Compile(`\pz`): "#
                + #"error parsing regexp: invalid character class range: `\pz`"#
        ),
        (
            #"{{ reReplaceAll "(?<n>`)" "x" "a" }}"#,
            #"<reReplaceAll "(?<n>`)" "x" "a">: error calling reReplaceAll: regexp: Compile("(?<n>`)"): "#
                + #"error parsing regexp: invalid or unsupported Perl syntax: `(?<`"#
        ),
    ])
    func aRefusedTemplatePatternIsExplainedInGosWords(_ template: String, _ message: String) {
        #expect {
            try TemplateSet.defaults().render(text: template, data: .null)
        } throws: {
            "\($0)".hasSuffix(" at " + message)
        }
    }

    /// `match` and `reReplaceAll` run on Go's leftmost-first semantics with Go's `$` expansion.
    @Test(arguments: [
        (#"{{ reReplaceAll "(a|ab)(c|bcd)(d*)" "[$1|$2|$3]" "abcd" }}"#, "[a|bcd|]"),
        (#"{{ reReplaceAll "a(?P<x>x*)b" "${x}W $1x $$" "-axxb-" }}"#, "-xxW  $-"),
        (#"{{ reReplaceAll "a*" "-" "baaac" }}"#, "-b-c-"),
        (#"{{ reReplaceAll "^(.*):(\\d+)$" "$1" "host.example:9090" }}"#, "host.example"),
        (#"{{ match "^[\\p{Greek}]+$" "αβγ" }} {{ match "b" "abc" }} {{ match "^b" "abc" }}"#, "true true false"),
    ])
    func regexFunctionsFollowGo(_ template: String, _ expected: String) throws {
        #expect(try TemplateSet.defaults().render(text: template, data: .null) == expected)
    }

    /// A backtracking engine takes about 2^n steps for `(a+)+$` on n `a`s and a mismatch; a template pattern or
    /// text built from label values must not stall a notification.
    @Test(.timeLimit(.minutes(1)))
    func catastrophicPatternsReturnQuickly() throws {
        let text = String(repeating: "a", count: 10_000) + "!"
        let template = #"{{ match "(a+)+$" "\#(text)" }} {{ len (reReplaceAll "(a|aa)+$" "x" "\#(text)") }}"#
        #expect(try TemplateSet.defaults().render(text: template, data: .null) == "false 10001")
    }

    @Test func unknownTimeZoneIsAnError() throws {
        #expect(throws: TemplateError.self) {
            try TemplateSet().render(
                text: #"{{ tz "Nowhere/Special" (index .Alerts 0).StartsAt }}"#,
                data: Fixtures.data().value())
        }
    }
}

struct DataModelTests {
    @Test func sortedPairsPutAlertnameFirstThenSortByName() {
        let kv = KV(["zeta": "1", "alertname": "A", "beta": "2"])
        #expect(kv.sortedPairs().map(\.name) == ["alertname", "beta", "zeta"])
        #expect(kv.names() == ["alertname", "beta", "zeta"])
        #expect(kv.values() == ["A", "2", "1"])
        #expect(kv.removing(["beta", "missing"]).names() == ["alertname", "zeta"])
        #expect(kv["beta"] == "2")
        #expect(kv["nope"] == nil)
        #expect(KV([("a", "1"), ("a", "2")])["a"] == "2")
    }

    @Test func timesPrintLikeGoTimeString() throws {
        let time = TemplateTime(date: Date(timeIntervalSince1970: 1_795_327_939.357))
        #expect(time.description == "2026-11-22 06:12:19.357 +0000 UTC")
        #expect(TemplateTime(date: TemplateTime.goZeroDate).description == "0001-01-01 00:00:00 +0000 UTC")
        let offset = try TemplateTime.parseRFC3339("2026-11-22T05:00:00.5+02:00")
        #expect(offset.description == "2026-11-22 05:00:00.5 +0200 +0200")
        #expect(offset.utc.description == "2026-11-22 03:00:00.5 +0000 UTC")
        let nanos = try TemplateTime.parseRFC3339("2024-02-29T23:59:59.000000001Z")
        #expect(nanos.description == "2024-02-29 23:59:59.000000001 +0000 UTC")
    }

    @Test func timeValuesPrintDirectlyInTemplates() throws {
        let text = "{{ . }}|{{ .Format \"Mon Jan _2 15:04:05 2006\" }}"
        let value = TemplateValue.time(try TemplateTime.parseRFC3339("2026-03-05T07:08:09Z"))
        #expect(
            try TemplateSet().render(text: text, data: value)
                == "2026-03-05 07:08:09 +0000 UTC|Thu Mar  5 07:08:09 2026")
    }

    @Test func alertmanagerJSONDecodesIntoTemplateData() throws {
        let data = try Fixtures.data()
        #expect(data.receiver == #"team-X\.ops"#)
        #expect(data.alerts.count == 3)
        #expect(data.alerts[0].labels["instance"] == "web-1:9090")
        #expect(data.alerts[0].endsAt == TemplateTime.goZeroDate)
        #expect(TemplateTime(date: data.alerts[2].endsAt).description == "2026-11-22 06:00:00.123456 +0000 UTC")
        #expect(data.groupLabels.names() == ["alertname", "job"])
    }

    @Test func genericValuesFollowGoSemantics() throws {
        let value = TemplateValue.map([
            "list": .list([.int(1), .string("a"), .null]), "flag": .bool(true), "n": .float(2.5),
        ])
        let set = TemplateSet()
        #expect(try set.render(text: "{{ . }}", data: value) == "map[flag:true list:[1 a <nil>] n:2.5]")
        #expect(try set.render(text: "{{ .missing }}", data: value) == "<no value>")
        #expect(try set.render(text: "{{ range .list }}{{ . }},{{ end }}", data: value) == "1,a,<no value>,")
        #expect(try set.render(text: "{{ index .list 1 }}{{ len .list }}", data: value) == "a3")
    }
}

struct SinceTests {
    /// 2026-11-22 07:13:20.857 UTC: 1h1m1.5s after the first fixture alert started.
    static let now = Date(timeIntervalSince1970: 1_795_331_600.857)

    @Test(arguments: [
        (#"{{ since (index .Alerts 0).StartsAt }}"#, "1h1m1.5s"),
        (#"{{ (index .Alerts 0).StartsAt | since | humanizeDuration }}"#, "1h 1m 1s"),
        (#"{{ (since (index .Alerts 0).StartsAt).Seconds }}"#, "3661.5"),
        (#"{{ if gt (since (index .Alerts 0).StartsAt) 3600000000000 }}old{{ end }}"#, "old"),
        (
            #"{{ printf "%v|%d|%T" (since (index .Alerts 0).StartsAt) (since (index .Alerts 0).StartsAt) 1 }}"#,
            "1h1m1.5s|3661500000000|int"
        ),
    ])
    func sinceReadsTheSetsClock(_ template: String, _ expected: String) throws {
        let set = try TemplateSet.defaults().withClock { SinceTests.now }
        #expect(try set.render(text: template, data: Fixtures.data().value()) == expected)
    }

    @Test(arguments: [
        (Int64(0), "0s"), (1, "1ns"), (1_500, "1.5µs"), (2_000_000, "2ms"), (1_000_000_000, "1s"),
        (90_000_000_000, "1m30s"), (3_600_000_000_000, "1h0m0s"), (-1_500_000_000, "-1.5s"),
    ])
    func durationsPrintLikeGo(_ nanos: Int64, _ expected: String) throws {
        #expect(try TemplateSet().render(text: "{{ . }}", data: .duration(nanoseconds: nanos)) == expected)
    }
}
