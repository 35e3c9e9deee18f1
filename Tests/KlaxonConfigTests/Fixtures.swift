import Foundation

/// Test fixtures under `Fixtures/` (copied into the test bundle).
enum Fixtures {
    static let root: URL = {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            preconditionFailure("Fixtures missing from the test bundle")
        }
        return url
    }()

    static func path(_ relative: String) -> String { root.appendingPathComponent(relative).path }

    static func text(_ relative: String) -> String {
        (try? String(contentsOfFile: path(relative), encoding: .utf8)) ?? ""
    }

    static func files(in directory: String, suffix: String = ".yml") -> [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: path(directory))) ?? []
        return names.filter { $0.hasSuffix(suffix) }.sorted()
    }

    /// Alertmanager 0.25's `amtool check-config` message for each `bad/conf.bad-*.yml` (recorded with amtool).
    static let expectedBadMessages: [String: String] = {
        guard let data = FileManager.default.contents(atPath: path("bad/expected-messages.json")),
            let object = try? JSONSerialization.jsonObject(with: data) as? [String: String]
        else { return [:] }
        return object
    }()
}
