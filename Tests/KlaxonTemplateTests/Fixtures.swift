import Foundation
import Testing

@testable import KlaxonTemplate

/// Loads fixtures by path (the test target declares no resources).
enum Fixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures")

    static let repoRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .deletingLastPathComponent()

    static func url(_ name: String) -> URL { directory.appendingPathComponent(name) }

    /// The data every corpus case renders against (also given to amtool via `--template.data`).
    static func data() throws -> TemplateData {
        try TemplateData(alertmanagerJSON: Data(contentsOf: url("template-data.json")))
    }

    /// The default templates plus `extra-defines.tmpl`, as the recorder loads them.
    static func templateSet() throws -> TemplateSet {
        try TemplateSet.defaults().adding(globs: ["extra-*.tmpl"], relativeTo: directory.path)
    }
}

/// One recorded `amtool template render` case.
struct CorpusCase: Decodable, Sendable, CustomTestStringConvertible {
    var name: String
    var template: String
    var expected: String?
    var error: String?
    var errorContains: String?

    enum CodingKeys: String, CodingKey {
        case name, template, expected, error
        case errorContains = "error_contains"
    }

    var testDescription: String { name }

    /// Expects `render` to print what amtool printed, or to fail with amtool's error (or part of it).
    func expectOutcome(_ render: () throws -> String) {
        do {
            let output = try render()
            #expect(error == nil && errorContains == nil, "expected an error, got \(output)")
            if let expected { #expect(output == expected) }
        } catch let thrown as TemplateError {
            if let error {
                #expect(thrown.message == error)
            } else if let errorContains {
                #expect(thrown.message.contains(errorContains), "\(thrown.message)")
            } else {
                Issue.record("unexpected error: \(thrown.message)")
            }
        } catch {
            Issue.record("unexpected error: \(error)")
        }
    }

    static func load(_ fixture: String = "template-corpus.jsonl") -> [CorpusCase] {
        guard let text = try? String(contentsOf: Fixtures.url(fixture), encoding: .utf8) else {
            return []
        }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { line in
            try? decoder.decode(CorpusCase.self, from: Data(line.utf8))
        }
    }
}
