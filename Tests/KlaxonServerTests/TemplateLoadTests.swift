import Foundation
import KlaxonConfig
import KlaxonHTTP
import KlaxonNotify
import KlaxonTemplate
import Logging
import Testing

@testable import KlaxonServer

/// Templates are part of the configuration: a template that does not parse (or a glob Go would reject) fails the
/// load, so a reload with it is refused and the old configuration keeps serving.
@Suite struct TemplatesAreConfig {
    /// Loads a config whose `templates` glob is `glob` in a fresh directory holding `custom.tmpl` (when given), and
    /// builds what the engine would run from it; returns the template set the notifiers got.
    private func build(templateText: String?, glob: String) throws -> TemplateSet {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-tmpl-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        if let templateText {
            try templateText.write(
                to: directory.appendingPathComponent("custom.tmpl"), atomically: true, encoding: .utf8)
        }
        let yaml = """
            route: {receiver: r}
            receivers: [{name: r}]
            templates: ['\(glob)']
            """
        let config = try Config.parse(yaml: yaml, baseDirectory: directory.path)
        let client = HTTPClient()
        defer { client.shutdown() }
        _ = try IntegrationBuilder(client: client, externalURL: "http://am", logger: Logger(label: "test"))
            .engineConfig(config)
        return try IntegrationBuilder.templates(config)
    }

    @Test func customTemplateFromTheConfigDirectoryCanBeUsedBesideTheDefaults() throws {
        let templates = try build(templateText: #"{{ define "x" }}ok {{ .Status }}{{ end }}"#, glob: "*.tmpl")
        let data = TemplateValue.map(["Status": .string("firing")])
        #expect(try templates.execute(name: "x", data: data) == "ok firing")
        #expect(try templates.execute(name: "slack.default.username", data: data) == "Alertmanager")
    }

    @Test func unparsableTemplateFailsTheLoadWithGosMessage() {
        let error = #expect(throws: TemplateError.self) {
            try build(templateText: "{{ define \"x\" }}", glob: "*.tmpl")
        }
        #expect(error?.message.hasPrefix("template: custom.tmpl:1:") == true, "\(String(describing: error))")
    }

    @Test func malformedGlobFailsTheLoadAsGosFilepathGlobDoes() {
        let error = #expect(throws: TemplateError.self) { try build(templateText: nil, glob: "[.tmpl") }
        #expect(error?.message == "syntax error in pattern")
    }
}
