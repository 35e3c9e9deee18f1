import Foundation
import KlaxonGoCompat
import Testing

@testable import KlaxonCore

/// What Go 1.19's regexp answered for each recorded pattern (Tests/KlaxonGoCompatTests/Fixtures/
/// go-regexp-submatches.json, recorded by scripts/record-go-regexp-fixtures.sh): the error of the pattern alone (what
/// a silence reports), and the error or answer of `^(?:pattern)$` (what a matcher reports or matches).
struct RecordedRegex: Decodable, CustomTestStringConvertible, Sendable {
    var pattern: String
    var input: String
    var error: String?
    var anchoredError: String?
    var anchoredMatches: Bool?
    var testDescription: String {
        let shown = pattern.count > 40 ? "\(pattern.prefix(20))...\(pattern.suffix(10)) (\(pattern.count))" : pattern
        return "\(shown) ~ \(input.prefix(20).debugDescription)"
    }

    static let all: [RecordedRegex] = {
        let url = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
            .appendingPathComponent("../KlaxonGoCompatTests/Fixtures/go-regexp-submatches.json")
        return (try? JSONDecoder().decode([RecordedRegex].self, from: Data(contentsOf: url))) ?? []
    }()
}

@Suite struct MatcherRegexErrorTests {
    @Test func theRecordedRegexesAreThere() {
        #expect(RecordedRegex.all.filter { $0.anchoredError != nil }.count >= 90)
        #expect(RecordedRegex.all.filter { $0.anchoredMatches != nil }.count >= 100)
    }

    @Test(arguments: RecordedRegex.all.filter { $0.anchoredError != nil })
    func aRefusedMatcherRegexIsExplainedInGosWords(_ recorded: RecordedRegex) {
        #expect {
            try Matcher(type: .regexMatch, name: "a", value: recorded.pattern)
        } throws: {
            ($0 as? MatcherError)?.message == recorded.anchoredError
        }
    }

    @Test(arguments: RecordedRegex.all.filter { $0.anchoredMatches != nil })
    func aMatcherRegexMatchesAsAlertmanagersDoes(_ recorded: RecordedRegex) throws {
        let matcher = try Matcher(type: .regexMatch, name: "a", value: recorded.pattern)
        #expect(matcher.matches(recorded.input) == recorded.anchoredMatches)
    }

    /// Alertmanager's silences compile the pattern alone, so their errors quote it alone (and `a)(b`, which compiles
    /// only inside a matcher's `^(?:...)$`, is refused).
    @Test(arguments: RecordedRegex.all.filter { $0.error != nil })
    func aRefusedSilenceRegexIsExplainedInGosWords(_ recorded: RecordedRegex) throws {
        let reason = try #require(recorded.error)
        let error = #expect(throws: SilenceError.self) {
            try SilenceStore.validate([SilenceMatcherSpec(name: "a", value: recorded.pattern, isRegex: true)])
        }
        #expect(
            error?.description
                == "silence invalid: invalid label matcher 0: invalid regular expression "
                + "\(GoQuote.quote(recorded.pattern)): \(reason)")
    }
}
