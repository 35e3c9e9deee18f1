import Foundation
import KlaxonGoCompat
import Testing

/// Matchers as Go's regexp answers them, and in linear time: a silence like `(a+)+$` cannot stall Klaxon.
@Suite struct GoLinearRegexpTests {
    struct Case: Decodable, CustomTestStringConvertible {
        var pattern: String
        var input: String
        var matches: Bool
        var testDescription: String { "\(pattern) ~ \(input.debugDescription)" }
    }

    /// What Go's regexp answered for `^(?:pattern)$` (scripts/record-go-regexp-fixtures.sh).
    static let cases: [Case] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/go-regexp-matches.json")
        return (try? JSONDecoder().decode([Case].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func theRecordedTableIsThere() {
        #expect(Self.cases.count >= 60)
    }

    @Test(arguments: cases)
    func matchesAsGoDoes(_ recorded: Case) throws {
        let regexp = try #require(GoLinearRegexp(recorded.pattern))
        #expect(regexp.matches(recorded.input) == recorded.matches)
    }

    @Test(.timeLimit(.minutes(1)))
    func nestedRepetitionOverALongNonMatchingValueTakesLinearTime() throws {
        // A backtracking engine needs about 2^n steps here; this one about n times the program size.
        let value = String(repeating: "a", count: 20_000) + "!"
        for pattern in ["(a+)+$", "(a|aa)+", "(a*)*b", "(.*a){20}", "(x+x+)+y"] {
            let regexp = try #require(GoLinearRegexp(pattern))
            #expect(!regexp.matches(value), "\(pattern)")
        }
    }

    @Test func unicodePropertyClassesCompile() throws {
        #expect(try #require(GoLinearRegexp(#"\pL+"#)).matches("Grüße"))
        #expect(try #require(GoLinearRegexp(#"\p{Greek}"#)).matches("γ"))
        #expect(GoLinearRegexp(#"\p{Nope}"#) == nil)
    }

    struct SubmatchCase: Decodable, CustomTestStringConvertible {
        var pattern: String
        var input: String
        var template: String?
        /// Where Go's leftmost-first match and its groups are, in scalars (-1: the group took no part); absent when
        /// nothing matched.
        var indices: [Int]?
        var matches: Bool?
        /// `ReplaceAllString(input, template)`, or with `<$0>` for a case without template.
        var replaced: String
        /// For a pattern Go refuses: its error.
        var error: String?
        /// As Alertmanager's matchers compile it (`^(?:pattern)$`): the error, or whether it matches the input.
        var anchoredError: String?
        var anchoredMatches: Bool?
        var testDescription: String {
            "\(pattern) ~ \(input.debugDescription)" + (template.map { " -> \($0.debugDescription)" } ?? "")
        }
    }

    /// What Go's regexp answered (scripts/go-regexp/submatch-cases.jsonl, scripts/record-go-regexp-fixtures.sh).
    static let submatchCases: [SubmatchCase] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/go-regexp-submatches.json")
        return (try? JSONDecoder().decode([SubmatchCase].self, from: Data(contentsOf: url))) ?? []
    }()

    @Test func theRecordedSubmatchTableIsThere() {
        #expect(Self.submatchCases.filter { $0.template == nil && $0.error == nil }.count >= 70)
        #expect(Self.submatchCases.filter { $0.template != nil }.count >= 35)
        #expect(Self.submatchCases.filter { $0.error != nil }.count >= 90)
    }

    @Test(arguments: submatchCases.filter { $0.template == nil && $0.error == nil })
    func findsSubmatchesAsGoDoes(_ recorded: SubmatchCase) throws {
        let regexp = try #require(GoLinearRegexp(recorded.pattern))
        let slots = 2 * (regexp.groupCount + 1)
        let found = regexp.firstMatch(in: Array(recorded.input.unicodeScalars), from: 0, slots: slots)
        #expect(found ?? [] == recorded.indices ?? [])
        #expect(regexp.matchesSubstring(recorded.input) == recorded.matches)
        #expect(regexp.replaceAll(in: recorded.input, with: "<$0>") == recorded.replaced)
        // FindStringSubmatch: the same groups as strings.
        let scalars = Array(recorded.input.unicodeScalars)
        let expected = recorded.indices.map { indices in
            stride(from: 0, to: indices.count, by: 2).map { slot -> String? in
                indices[slot] < 0 ? nil : String(String.UnicodeScalarView(scalars[indices[slot]..<indices[slot + 1]]))
            }
        }
        #expect(regexp.submatches(recorded.input) == expected)
    }

    @Test(arguments: submatchCases.filter { $0.template != nil })
    func replacesAsGoDoes(_ recorded: SubmatchCase) throws {
        let regexp = try #require(GoLinearRegexp(recorded.pattern))
        #expect(regexp.replaceAll(in: recorded.input, with: recorded.template ?? "") == recorded.replaced)
    }

    @Test(arguments: submatchCases.filter { $0.error != nil })
    func aRefusedPatternIsExplainedInGosWords(_ recorded: SubmatchCase) {
        #expect(throws: GoLinearRegexp.SyntaxError.self) { try GoLinearRegexp(compiling: recorded.pattern) }
        do {
            _ = try GoLinearRegexp(compiling: recorded.pattern)
        } catch {
            #expect(error.description == recorded.error)
        }
    }

    /// Every error Go 1.19's parser can give is among the recorded refusals, but two: `invalid character class`,
    /// which Go declares and never gives, and `invalid UTF-8`, which a Swift string cannot hold.
    @Test func theRecordedRefusalsCoverEveryErrorGoGives() {
        let recorded = Set(Self.submatchCases.compactMap(\.error))
        for code in GoLinearRegexp.SyntaxError.Code.allCases where code != .invalidCharClass && code != .invalidUTF8 {
            #expect(recorded.contains { $0.hasPrefix("error parsing regexp: \(code.rawValue): ") }, "\(code)")
        }
    }

    /// Random short patterns built from regex syntax (scripts/go-regexp/random), as Go answered them: most are
    /// refused, which holds the order in which Go finds mistakes and the fragment it quotes; the rest are matched
    /// against a few inputs (case folding, octal escapes, classes).
    struct RandomCases: Decodable {
        struct Case: Decodable {
            var pattern: String
            var error: String?
            var matches: [Bool]?
        }
        var inputs: [String]
        var cases: [Case]
    }

    @Test func randomPatternsAreRefusedAndMatchedAsGoDoes() throws {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("Fixtures/go-regexp-random.json")
        let recorded = try JSONDecoder().decode(RandomCases.self, from: Data(contentsOf: url))
        #expect(recorded.cases.count >= 2_500)
        var disagreements: [String] = []
        for c in recorded.cases {
            do {
                let regexp = try GoLinearRegexp(compiling: c.pattern)
                let matches = recorded.inputs.map { regexp.matchesSubstring($0) }
                if matches != c.matches { disagreements.append("\(c.pattern): matches \(matches)") }
            } catch {
                if error.description != c.error { disagreements.append("\(c.pattern): \(error)") }
            }
        }
        #expect(disagreements.isEmpty, "\(disagreements.prefix(20))")
    }

    /// `(?i)` matches a letter's whole case-folding orbit as Go's `unicode.SimpleFold` has it, not only its upper
    /// and lower case: the Kelvin sign is a `k`, the long s an `s`, and all three sigmas are one letter.
    @Test func caseInsensitiveLettersMatchTheirWholeFoldOrbit() throws {
        let kelvin = "\u{212A}"
        #expect(try #require(GoLinearRegexp("(?i)k")).matches(kelvin))
        #expect(try #require(GoLinearRegexp("(?i)\\x{212a}")).matches("k"))
        #expect(try #require(GoLinearRegexp("(?i)s+")).matches("sS\u{17F}"))
        #expect(try #require(GoLinearRegexp("(?i)σ+")).matches("Σσς"))
        #expect(try #require(GoLinearRegexp("(?i)[^k]")).matches(kelvin) == false)
        #expect(try #require(GoLinearRegexp("k")).matches(kelvin) == false)
    }

    @Test(.timeLimit(.minutes(1)))
    func findingAndReplacingTakeLinearTime() throws {
        // Shorter than above: threads carry capture slots here. A backtracking engine still needs about 2^5000 steps.
        let value = String(repeating: "a", count: 5_000) + "!"
        for pattern in ["(a+)+$", "(a|aa)+$", "(a*)*b", "(.*a){20}$", "(x+x+)+y"] {
            let regexp = try #require(GoLinearRegexp(pattern))
            #expect(regexp.submatches(value) == nil, "\(pattern)")
            #expect(regexp.replaceAll(in: value, with: "$1") == value, "\(pattern)")
        }
    }
}
