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

    static func load() -> [CorpusCase] {
        guard let text = try? String(contentsOf: Fixtures.url("template-corpus.jsonl"), encoding: .utf8) else {
            return []
        }
        let decoder = JSONDecoder()
        return text.split(separator: "\n").compactMap { line in
            try? decoder.decode(CorpusCase.self, from: Data(line.utf8))
        }
    }
}
