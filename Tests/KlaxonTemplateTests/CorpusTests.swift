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
        do {
            let output = try set.render(text: testCase.template, data: data)
            #expect(testCase.error == nil && testCase.errorContains == nil, "expected an error, got \(output)")
            if let expected = testCase.expected { #expect(output == expected) }
        } catch let error as TemplateError {
            if let expected = testCase.error {
                #expect(error.message == expected)
            } else if let fragment = testCase.errorContains {
                #expect(error.message.contains(fragment), "\(error.message)")
            } else {
                Issue.record("unexpected error: \(error.message)")
            }
        }
    }
}
