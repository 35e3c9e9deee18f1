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

    @Test func unicodePropertyClassesAreLeftToTheOtherEngine() {
        #expect(GoLinearRegexp(#"\pL+"#) == nil)
        #expect(GoLinearRegexp(#"\p{Greek}"#) == nil)
    }
}
