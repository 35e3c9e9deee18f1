import Foundation
import KlaxonTestSupport

/// The amtool scenario shared by scripts/record-amtool-fixtures.sh and the live tests: one command per line of
/// Fixtures/amtool/scenario.tsv, run in order against a fresh server.
struct AmtoolScenario {
    struct Step: Sendable {
        var name: String
        var arguments: [String]

        /// Whether a successful run changes the server's state (so it must run once, not once per client).
        var mutates: Bool {
            ["silence-add", "silence-expire", "silence-update", "alert-add"].contains { name.hasPrefix($0) }
        }
    }

    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../Fixtures/amtool").standardized

    let steps: [Step]

    init() throws {
        let text = try String(contentsOf: Self.folder.appendingPathComponent("scenario.tsv"), encoding: .utf8)
        steps = text.split(separator: "\n").filter { !$0.hasPrefix("#") && !$0.isEmpty }.map { line in
            let fields = line.split(separator: "\t", omittingEmptySubsequences: false).map(String.init)
            return Step(name: fields[0], arguments: Array(fields.dropFirst()))
        }
    }

    /// The recorded amtool output of a step.
    static func fixture(_ step: String) throws -> String {
        try String(contentsOf: folder.appendingPathComponent(step + ".txt"), encoding: .utf8)
    }
}

/// Replaces what differs between runs, as the recording script does: silence IDs become `<step that created it>`
/// (other UUIDs `<ID>`), times in 2026-2029 `<NOW>`, and klaxonctl's program name amtool's.
struct OutputNormalizer {
    private(set) var ids: [String: String] = [:]
    /// First stdout line of every step so far, for `{step}` references.
    private(set) var outputs: [String: String] = [:]

    private static var uuid: Regex<Substring> { #/[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}/# }
    private static var now: Regex<(Substring, Substring?, Substring?)> {
        #/202[6-9]-\d\d-\d\d[ T]\d\d:\d\d:\d\d(\.\d+)?( UTC|Z|[+-]\d\d:?\d\d)?/#
    }
    private static var reference: Regex<(Substring, Substring)> { #/\{([a-z-]+)\}/# }

    /// The arguments with `{step}` replaced by that step's first stdout line.
    func substitute(_ arguments: [String]) -> [String] {
        arguments.map { argument in
            argument.replacing(Self.reference) { match in outputs[String(match.output.1)] ?? "" }
        }
    }

    /// Remembers a step's output (and the ID it created, for `silence-add*` steps).
    mutating func record(step: String, result: ProcessResult) {
        let first = result.stdout.split(separator: "\n").first.map(String.init) ?? ""
        outputs[step] = first
        if step.hasPrefix("silence-add") && result.exitCode == 0 { ids[first] = step }
    }

    func normalize(_ text: String) -> String {
        var out = text.replacing(Self.uuid) { match in
            let id = String(match.output)
            return id.hasPrefix("00000000-") ? id : "<" + (ids[id] ?? "ID") + ">"
        }
        out = out.replacing(Self.now) { _ in "<NOW>" }
        return out.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            line.hasPrefix("klaxonctl: ") ? "amtool: " + line.dropFirst("klaxonctl: ".count) : line
        }.joined(separator: "\n")
    }

    /// A result in the fixture file format.
    func render(_ result: ProcessResult) -> String {
        normalize(result.stdout) + "--- stderr\n" + normalize(result.stderr) + "--- exit \(result.exitCode)\n"
    }
}

/// Reads a JSON API answer from a live server.
func apiJSON(_ server: LiveServer, _ path: String) throws -> Any {
    let response = try httpRequest(port: server.port, method: "GET", path: path)
    guard response.status == 200 else { throw LiveServerError("GET \(path): \(response.status) \(response.body)") }
    return try JSONSerialization.jsonObject(with: Data(response.body.utf8))
}

/// The silences a live server holds, by ID.
func liveSilences(_ server: LiveServer) throws -> [String: [String: Any]] {
    let list = try apiJSON(server, "/api/v2/silences") as? [[String: Any]] ?? []
    var result: [String: [String: Any]] = [:]
    for silence in list { if let id = silence["id"] as? String { result[id] = silence } }
    return result
}
