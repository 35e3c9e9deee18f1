import Foundation
import Testing

@testable import KlaxonTemplate

/// Every case recorded from the real `amtool template render` (scripts/record-template-fixtures.sh).
struct CorpusTests {
    static let cases = CorpusCase.load()
    static let set = Result { try Fixtures.templateSet() }
    static let data = Result { try Fixtures.data().value() }

    @Test func corpusIsLargeAndCoversErrors() {
        #expect(Self.cases.count >= 150)
        #expect(Self.cases.filter { $0.error != nil || $0.errorContains != nil }.count >= 30)
    }

    @Test(arguments: cases)
    func rendersExactlyLikeAmtool(_ testCase: CorpusCase) throws {
        let set = try Self.set.get()
        let data = try Self.data.get()
        testCase.expectOutcome { try set.render(text: testCase.template, data: data) }
    }
}
