import Foundation
import Testing

@testable import KlaxonTemplate

/// Arbitrary user input must fail with a TemplateError, never trap.
struct RobustnessTests {
    /// A small deterministic generator (SplitMix64) so failures reproduce.
    struct SplitMix: RandomNumberGenerator {
        var state: UInt64
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
    }

    static let fragments = [
        "{{", "}}", "{{-", "-}}", " ", "\n", ".", ".Alerts", ".Labels", ".Status", "$", "$x", ":=", "=", "|", "(", ")",
        ",", "\"s\"", "`r`", "'c'", "1", "-2", "1.5e3", "0x1F", "nil", "true", "if", "else", "end", "range", "with",
        "define", "template", "block", "break", "continue", "\"t\"", "len", "index", "slice", "printf", "\"%d %s\"",
        "eq", "and", "or", "not", "toUpper", "join", "/*", "*/", "x", "é", "#", "\\", "\"",
        "{{ range .Alerts }}", "{{ range $i, $a := .Alerts.Firing }}", "{{ end }}", "{{ else }}", "{{ break }}",
        "{{ if .Status }}", "{{ with .CommonLabels.job }}", "{{ template \"__subject\" . }}", "{{ . }}",
        "{{ index .Alerts 5 }}", "{{ slice .Status 1 }}", "{{ printf \"%5.2q|%-3x|%08.3f\" . . . }}",
        "{{ define \"q\" }}", "{{ block \"b\" . }}", "{{ template \"q\" . }}", "{{ $y := . }}", "{{ $y = 1 }}",
        "{{ .Labels.SortedPairs }}", "{{ reReplaceAll \"(x\" \"$1\" . }}", "{{ toJson . }}", "{{ len . }}",
    ]

    /// Found by fuzzing (Fuzz/, the template target): 65,000 nested parentheses overflowed the parser's stack and
    /// killed the process. Nesting past 100 levels (parentheses, or `if` and `else if` chains) is refused with Go's
    /// message; up to it, templates parse and run.
    @Test func deepNestingIsRefusedInsteadOfOverflowingTheStack() throws {
        func nestedParens(_ depth: Int) -> String {
            "{{ " + String(repeating: "(", count: depth) + "1" + String(repeating: ")", count: depth) + " }}"
        }
        let refusals = [
            nestedParens(10_000),
            String(repeating: "{{ if 1 }}", count: 10_000) + String(repeating: "{{ end }}", count: 10_000),
            "{{ if 0 }}" + String(repeating: "{{ else if 0 }}", count: 10_000) + "{{ end }}",
        ]
        for text in refusals {
            #expect {
                _ = try TemplateSet().render(text: text, data: .null)
            } throws: { error in
                "\(error)".contains("max expression depth exceeded")
            }
        }
        #expect(try TemplateSet().render(text: nestedParens(99), data: .null) == "1")
    }

    @Test(arguments: [UInt64(1), 2, 3, 4])
    func randomTemplatesNeverTrap(seed: UInt64) throws {
        var random = SplitMix(state: seed)
        let set = try TemplateSet.defaults()
        let data = try Fixtures.data().value()
        var parsed = 0
        for _ in 0..<800 {
            let count = Int.random(in: 1...14, using: &random)
            var text = ""
            for _ in 0..<count { text += Self.fragments.randomElement(using: &random) ?? "" }
            do {
                _ = try set.render(text: text, data: data)
                parsed += 1
            } catch is TemplateError {
                continue
            }
        }
        #expect(parsed > 0)
    }
}
