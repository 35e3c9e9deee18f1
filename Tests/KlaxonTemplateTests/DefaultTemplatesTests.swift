import Foundation
import Testing

@testable import KlaxonTemplate

struct DefaultTemplatesTests {
    struct Rendering: Decodable, Sendable, CustomTestStringConvertible {
        var data: String
        var name: String
        var template: String
        var expected: String
        var testDescription: String { "\(data) \(name)" }
    }

    static let renderings: [Rendering] = {
        guard let text = try? String(contentsOf: Fixtures.url("default-templates-corpus.jsonl"), encoding: .utf8)
        else { return [] }
        return text.split(separator: "\n").compactMap { try? JSONDecoder().decode(Rendering.self, from: Data($0.utf8)) }
    }()

    @Test func embeddedDefaultsAreIdenticalToTemplatesDefaultTmpl() throws {
        let file = try String(
            contentsOf: Fixtures.repoRoot.appendingPathComponent("templates/default.tmpl"), encoding: .utf8)
        #expect(file == DefaultTemplates.text)
    }

    @Test func defaultsDefineEveryAlertmanagerName() throws {
        let names = Set(try TemplateSet.defaults().names)
        let required = Set(Self.renderings.map(\.name)).union(["email.default.subject"])
        #expect(required.count > 35)
        #expect(required.subtracting(names).isEmpty, "missing: \(required.subtracting(names).sorted())")
    }

    @Test(arguments: renderings)
    func defaultTemplateRendersLikeAlertmanager(_ rendering: Rendering) throws {
        let data = try TemplateData(alertmanagerJSON: Data(contentsOf: Fixtures.url(rendering.data)))
        let output = try TemplateSet.defaults().render(text: rendering.template, data: data.value())
        #expect(output == rendering.expected)
    }

    @Test func emailSubjectIsTheSubject() throws {
        let set = try TemplateSet.defaults()
        let data = try Fixtures.data().value()
        let subject = try set.execute(name: "email.default.subject", data: data)
        #expect(subject == "[FIRING:2] HighLatency api (critical)")
        #expect(try set.execute(name: "__subject", data: data) == subject)
    }
}
