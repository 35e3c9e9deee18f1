import Foundation
import Testing

@testable import KlaxonTemplate

/// html/template: the escaping of every action for its context, checked against the real Alertmanager 0.25
/// (`amtool template render --template.type=html`) and Go's own html/template test table
/// (scripts/record-html-template-fixtures.sh).
struct HTMLTemplateTests {
    static let amtoolCases = CorpusCase.load("html-template-corpus.jsonl")
    static let goCases = GoEscapeCase.load()
    static let set = Result { try Fixtures.templateSet() }
    static let data = Result { try Fixtures.data().value() }

    @Test func recordingsCoverTheTextCorpusHTMLContextsAndGoTable() {
        #expect(Self.amtoolCases.count >= 500)
        #expect(Self.amtoolCases.filter { $0.error?.hasPrefix("html/template") == true }.count >= 4)
        #expect(Self.goCases.count >= 100)
    }

    @Test(arguments: amtoolCases)
    func rendersExactlyLikeAmtoolHTML(_ testCase: CorpusCase) throws {
        let set = try Self.set.get()
        let data = try Self.data.get()
        testCase.expectOutcome { try set.renderHTML(text: testCase.template, data: data) }
    }

    /// The data of Go's TestEscape.
    static let goData = TemplateValue.map([
        "F": .bool(false), "T": .bool(true), "C": .string("<Cincinnati>"), "G": .string("<Goodbye>"),
        "H": .string("<Hello>"), "A": .strings(["<a>", "<b>"]), "E": .strings([]), "N": .int(42), "U": .null,
        "W": TemplateValue(
            storage: .string(#"&iexcl;<b class="foo">Hello</b>, <textarea>O'World</textarea>!"#), isSafeHTML: true),
    ])

    @Test(arguments: goCases)
    func escapesLikeGosOwnTable(_ testCase: GoEscapeCase) throws {
        let output = try TemplateSet().renderHTML(text: testCase.input, data: Self.goData)
        #expect(output == testCase.output)
    }

    @Test func textTemplatesAreNotEscaped() throws {
        let set = try Self.set.get()
        #expect(
            try set.render(text: #"<a href="{{ "x y" }}">{{ "<b>" }}</a>"#, data: .null) == #"<a href="x y"><b></a>"#)
        #expect(
            try set.renderHTML(text: #"<a href="{{ "x y" }}">{{ "<b>" }}</a>"#, data: .null)
                == #"<a href="x%20y">&lt;b&gt;</a>"#)
    }

    @Test func aTemplateEscapedForHTMLDoesNotChangeTheTextTemplates() throws {
        let set = try TemplateSet().adding(text: #"{{ define "t" }}<{{ . }}>{{ end }}"#, name: "t.tmpl")
        // A `<` that starts no tag is text: html/template writes it as `&lt;`.
        #expect(try set.renderHTML(text: #"{{ template "t" "a&b" }}"#, data: .null) == "&lt;a&amp;b>")
        #expect(try set.render(text: #"{{ template "t" "a&b" }}"#, data: .null) == "<a&b>")
        // The escaping is kept for the next render of the same text, which escapes the new data alike.
        #expect(try set.renderHTML(text: #"{{ template "t" . }}"#, data: .string("<1>")) == "&lt;&lt;1&gt;>")
        #expect(try set.renderHTML(text: #"{{ template "t" . }}"#, data: .string("\"2\"")) == "&lt;&#34;2&#34;>")
    }
}

/// One case of Go's html/template TestEscape table, with the output Go's html/template printed.
struct GoEscapeCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var input: String
    var output: String

    var testDescription: String { name }

    static func load() -> [GoEscapeCase] {
        guard let data = try? Data(contentsOf: Fixtures.url("go-html-escape-cases.json")) else { return [] }
        return (try? JSONDecoder().decode([GoEscapeCase].self, from: data)) ?? []
    }
}
