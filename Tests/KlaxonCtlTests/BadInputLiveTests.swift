import Foundation
import KlaxonTestSupport
import Testing

/// The bad-input matrix: bodies a careless or hostile client sends, answered by Klaxon exactly as Alertmanager 0.25
/// answers them (status and message), and never with a crash: after all of them the server still serves.
@Suite(.enabled(if: Binaries.alertmanager != nil, "needs Alertmanager 0.25 (apt-get install prometheus-alertmanager)"))
struct BadInputLive {
    static func repeated(_ text: String, _ count: Int) -> [UInt8] { Array(String(repeating: text, count: count).utf8) }

    static let silenceTail =
        #","startsAt":"2026-01-01T00:00:00Z","endsAt":"2027-01-01T00:00:00Z","createdBy":"x","comment":"c"}"#

    /// Name, path and body.
    static let cases: [(String, String, [UInt8])] = [
        ("200k nested arrays", "/api/v2/alerts", repeated("[", 200_000) + repeated("]", 200_000)),
        ("100k nested objects", "/api/v2/alerts", repeated(#"[{"labels":"#, 100_000)),
        ("nesting inside a label", "/api/v2/alerts", Array(#"[{"labels":{"a":"#.utf8) + repeated("[", 100_000)),
        (
            "invalid UTF-8", "/api/v2/alerts",
            Array(#"[{"labels":{"alertname":""#.utf8) + [0xFF, 0xFE] + Array(#""}}]"#.utf8)
        ),
        ("a number for a label", "/api/v2/alerts", Array(#"[{"labels":{"alertname":5}}]"#.utf8)),
        ("not JSON", "/api/v2/alerts", Array("hello".utf8)),
        ("empty body", "/api/v2/alerts", []),
        ("null", "/api/v2/alerts", Array("null".utf8)),
        (
            "100k labels", "/api/v2/alerts",
            Array(("[{\"labels\":{" + (0..<100_000).map { "\"l\($0)\":\"v\"" }.joined(separator: ",") + "}}]").utf8)
        ),
        (
            "a 10 MB label value", "/api/v2/alerts",
            Array(#"[{"labels":{"alertname":""#.utf8) + repeated("x", 10 << 20) + Array(#""}}]"#.utf8)
        ),
        (
            "a time that is not one", "/api/v2/alerts",
            Array(#"[{"labels":{"alertname":"x"},"startsAt":"yesterday"}]"#.utf8)
        ),
        (
            "a silence that ends before it starts", "/api/v2/silences",
            Array(
                #"{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2027-01-01T00:00:00Z","endsAt":"2026-01-01T00:00:00Z","createdBy":"x","comment":"c"}"#
                    .utf8)
        ),
        (
            "an invalid regex", "/api/v2/silences",
            Array((#"{"matchers":[{"name":"a","value":"(","isRegex":true}]"# + silenceTail).utf8)
        ),
        ("no matchers", "/api/v2/silences", Array((#"{"matchers":[]"# + silenceTail).utf8)),
        (
            "an end that is not a time", "/api/v2/silences",
            Array(
                (#"{"matchers":[{"name":"a","value":"b","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z","#
                    + #""endsAt":"-5s","createdBy":"x","comment":"c"}"#).utf8)
        ),
        ("nested silence", "/api/v2/silences", Array(#"{"matchers":"#.utf8) + repeated("[", 100_000)),
    ]

    func answers(_ server: LiveServer, folder: URL) throws -> [String] {
        try Self.cases.enumerated().map { index, testCase in
            let file = folder.appendingPathComponent("body-\(index)")
            try Data(testCase.2).write(to: file)
            let reply = try curl(
                "\(server.url)\(testCase.1)",
                [
                    "--max-time", "30", "-X", "POST", "-H", "Content-Type: application/json", "-H", "Expect:",
                    "--data-binary", "@\(file.path)",
                ])
            return "\(testCase.0): \(reply.status) \(reply.body.prefix(300))"
        }
    }

    @Test(.timeLimit(.minutes(3)))
    func everyBadBodyIsAnsweredAsAlertmanagerAnswersItAndTheServerKeepsServing() throws {
        let folder = FileManager.default.temporaryDirectory.appendingPathComponent("klaxon-bad-input-\(UUID())")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: folder) }
        let alertmanager = try #require(try LiveServer.alertmanager())
        let expected = try answers(alertmanager, folder: folder)
        alertmanager.stop()
        let klaxon = try LiveServer.klaxon()
        defer { klaxon.stop() }
        let actual = try answers(klaxon, folder: folder)
        for (want, got) in zip(expected, actual) { #expect(got == want) }
        #expect(try curl("\(klaxon.url)/-/healthy").status == 200)
    }
}
