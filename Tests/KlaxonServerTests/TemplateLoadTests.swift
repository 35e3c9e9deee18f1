import Foundation
import KlaxonConfig
import KlaxonHTTP
import Logging
import Testing

@testable import KlaxonServer

/// Templates are part of the configuration: a template that does not parse (or a glob Go would reject) fails the
/// load, so a reload with it is refused and the old configuration keeps serving.
@Suite struct TemplatesAreConfig {
    private func build(templateText: String?, glob: String) throws {
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
    }

    @Test func validCustomTemplateLoads() throws {
        try build(templateText: #"{{ define "x" }}ok{{ end }}"#, glob: "*.tmpl")
    }

    @Test func unparsableTemplateFailsTheLoad() {
        #expect(throws: (any Error).self) { try build(templateText: "{{ define \"x\" }}", glob: "*.tmpl") }
    }

    @Test func malformedGlobFailsTheLoad() {
        #expect(throws: (any Error).self) { try build(templateText: nil, glob: "[.tmpl") }
    }
}
