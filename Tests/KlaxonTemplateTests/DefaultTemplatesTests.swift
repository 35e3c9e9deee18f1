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

    @Test func emailDefaultHTMLShowsEveryAlertWithItsDataEscaped() throws {
        let data = try TemplateData(alertmanagerJSON: Data(contentsOf: Fixtures.url("template-data.json")))
        let html = try TemplateSet.defaults().renderHTML(
            text: #"{{ template "email.default.html" . }}"#, data: data.value())
        #expect(html.hasPrefix("<!DOCTYPE html>"))
        #expect(html.contains("<title>[FIRING:2] HighLatency api (critical)</title>"))
        #expect(html.contains("2 firing &middot; 1 resolved"))
        // The receiver (regexp-quoted by Alertmanager) as text and as the link's query value.
        #expect(html.contains(#"<strong style="color:#1f2933">team-X\.ops</strong>"#))
        #expect(html.contains(#"href="http://am.example.com:9093/#/alerts?receiver=team-X%5c.ops""#))
        // Every alert: firing ones first, labels and annotations, generator links; data is escaped.
        for instance in ["web-1:9090", "web-2:9090", "web-3:9090"] { #expect(html.contains(">\(instance)<")) }
        #expect(html.contains("p99 &gt; 1s on web-1 &amp; &lt;b&gt;bold&lt;/b&gt;"))
        #expect(!html.contains("<b>bold</b>"))
        #expect(html.contains(#"<a href="http://prom:9090/graph?g0.expr=x""#))
        #expect(html.contains("https://runbooks/x"))
        let firing = try #require(html.range(of: "FIRING</span>"))
        let resolved = try #require(html.range(of: "RESOLVED</span>"))
        #expect(firing.lowerBound < resolved.lowerBound)
        #expect(html.contains("ended 2026-11-22 06:00:00 UTC"))
    }

    /// Klaxon's `email.default.html` through Go's own html/template: recorded with amtool 0.25,
    /// `amtool template render --template.glob templates/default.tmpl --template.type html
    /// --template.text '{{ template "email.default.html" . }}' --template.data Fixtures/template-data.json`.
    @Test func emailDefaultHTMLRendersAsGosHTMLTemplateRendersIt() throws {
        let data = try TemplateData(alertmanagerJSON: Data(contentsOf: Fixtures.url("template-data.json")))
        let html = try TemplateSet.defaults().renderHTML(
            text: #"{{ template "email.default.html" . }}"#, data: data.value())
        let recorded = try String(contentsOf: Fixtures.url("email-default-html.amtool.html"), encoding: .utf8)
        #expect(html == recorded)
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
