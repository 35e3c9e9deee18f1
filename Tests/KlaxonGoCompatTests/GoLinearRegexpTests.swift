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
        #expect(Self.submatchCases.filter { $0.template == nil }.count >= 70)
        #expect(Self.submatchCases.filter { $0.template != nil }.count >= 35)
    }

    @Test(arguments: submatchCases.filter { $0.template == nil })
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
