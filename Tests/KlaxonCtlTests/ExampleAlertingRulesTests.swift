import Foundation
import KlaxonTestSupport
import Testing

/// `examples/prometheus/klaxon-alerts.yml` as an operator loads it: promtool accepts it, its unit tests show every
/// rule firing (and staying quiet on healthy series), and every metric it reads is one a running Klaxon exposes.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/promtool"), "needs promtool (prometheus)"))
struct ExampleAlertingRules {
    static let folder = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/prometheus").standardized
    static let promtool = URL(fileURLWithPath: "/usr/bin/promtool")

    @Test func promtoolAcceptsTheRulesAndTheirUnitTestsPass() throws {
        let check = try runProcess(
            Self.promtool, ["check", "rules", Self.folder.appendingPathComponent("klaxon-alerts.yml").path])
        #expect(check.exitCode == 0, "\(check)")
        let test = try runProcess(
            Self.promtool, ["test", "rules", Self.folder.appendingPathComponent("klaxon-alerts.test.yml").path])
        #expect(test.exitCode == 0, "\(test)")
        #expect(test.stdout.contains("SUCCESS"), "\(test)")
    }

    @Test func everyMetricTheRulesReadIsExposedByKlaxon() throws {
        let rules = try String(contentsOf: Self.folder.appendingPathComponent("klaxon-alerts.yml"), encoding: .utf8)
        var names = Set(rules.matches(of: /\b((?:alertmanager|klaxon)_[a-z_]+)/).map { String($0.output.1) })
        names = Set(names.map { $0.hasSuffix("_bucket") ? String($0.dropLast("_bucket".count)) : $0 })
        #expect(names.count >= 6, "\(names)")
        let server = try LiveServer.klaxon()
        defer { server.stop() }
        // A tenant's first alert makes its per-tenant series.
        let posted = try curl(
            "\(server.url)/api/v2/alerts",
            [
                "-X", "POST", "-H", "Content-Type: application/json", "-d",
                #"[{"labels":{"alertname":"A","tenant_id":"finance"}}]"#,
            ])
        #expect(posted.status == 200)
        let metrics = try curl("\(server.url)/metrics").body
        for name in names.sorted() {
            #expect(metrics.contains("# TYPE \(name) "), "\(name) is not exposed")
        }
    }
}
