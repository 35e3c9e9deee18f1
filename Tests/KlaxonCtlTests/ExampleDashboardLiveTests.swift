import Foundation
import KlaxonTestSupport
import Testing

/// `examples/grafana/klaxon.json` against real data: a Prometheus scrapes a Klaxon that takes alerts of three
/// tenants, notifies a webhook that answers and one that fails, holds a silence and reloads; then every panel's
/// query (the tenant variable set to all tenants and to one) must parse in Prometheus and return data, and the
/// tenant variable's query must list the tenants.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/prometheus"), "needs prometheus"))
struct ExampleDashboardLive {
    static let dashboard = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("../../examples/grafana/klaxon.json").standardized

    /// Every panel's title and query.
    static func panelQueries() throws -> [(title: String, expr: String)] {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: dashboard)) as? [String: Any]
        let panels = json?["panels"] as? [[String: Any]] ?? []
        return panels.flatMap { panel in
            (panel["targets"] as? [[String: Any]] ?? []).compactMap { target in
                (target["expr"] as? String).map { (panel["title"] as? String ?? "", $0) }
            }
        }
    }

    @Test(.timeLimit(.minutes(2)))
    func everyPanelQueryReturnsDataFromAScrapedKlaxon() async throws {
        let queries = try Self.panelQueries()
        #expect(queries.count >= 15)
        let sink = try TestHTTPServer { request in
            TestHTTPServer.Reply(status: request.target.hasPrefix("/down") ? 500 : 200)
        }
        defer { sink.stop() }
        let server = try LiveServer.klaxon(
            config: """
                route:
                  receiver: team
                  group_by: [alertname, tenant_id]
                  group_wait: 0s
                  group_interval: 1s
                  routes:
                    - receiver: hr-down
                      matchers: [tenant_id="hr"]
                receivers:
                  - name: team
                    webhook_configs: [{url: "\(sink.baseURL)/up"}]
                  - name: hr-down
                    webhook_configs: [{url: "\(sink.baseURL)/down"}]
                """)
        defer { server.stop() }
        let pki = try TestPKI()
        defer { pki.remove() }
        let prometheusPort = try freePort()
        let config = try pki.write(
            "prometheus.yml",
            """
            scrape_configs:
              - job_name: klaxon
                scrape_interval: 1s
                static_configs: [{targets: ['127.0.0.1:\(server.port)']}]
            """)
        let prometheus = Process()
        prometheus.executableURL = URL(fileURLWithPath: "/usr/bin/prometheus")
        prometheus.arguments = [
            "--config.file=\(config)", "--storage.tsdb.path=\(pki.path("tsdb"))",
            "--web.listen-address=127.0.0.1:\(prometheusPort)",
        ]
        prometheus.standardOutput = FileHandle.nullDevice
        prometheus.standardError = FileHandle.nullDevice
        try prometheus.run()
        defer {
            prometheus.terminate()
            prometheus.waitUntilExit()
        }
        let prometheusURL = "http://127.0.0.1:\(prometheusPort)"
        func query(_ expr: String) throws -> (status: String, results: Int, body: String) {
            let reply = try curl("\(prometheusURL)/api/v1/query", ["-G", "--data-urlencode", "query=\(expr)"])
            let json = try? JSONSerialization.jsonObject(with: Data(reply.body.utf8)) as? [String: Any]
            let results = (json?["data"] as? [String: Any])?["result"] as? [Any]
            return (json?["status"] as? String ?? "", results?.count ?? 0, reply.body)
        }
        // Load: alerts of three tenants, a silence for one, a reload, for several scrapes.
        let post = ["-X", "POST", "-H", "Content-Type: application/json"]
        let silence = """
            {"matchers":[{"name":"tenant_id","value":"marketing","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z",
            "endsAt":"2036-01-01T00:00:00Z","createdBy":"test","comment":"maintenance"}
            """
        #expect(try curl("\(server.url)/api/v2/silences", post + ["-d", silence]).status == 200)
        for round in 0..<16 {
            let alerts = ["finance", "hr", "marketing"].map {
                #"{"labels":{"alertname":"Load\#(round % 4)","tenant_id":"\#($0)"}}"#
            }
            _ = try curl("\(server.url)/api/v2/alerts", post + ["-d", "[" + alerts.joined(separator: ",") + "]"])
            if round == 8 { _ = try curl("\(server.url)/-/reload", ["-X", "POST"]) }
            try await Task.sleep(for: .milliseconds(500))
        }
        // Enough scrapes for rates over the window the queries use.
        let deadline = ContinuousClock.now + .seconds(30)
        while try query(#"count_over_time(up{job="klaxon"}[30s]) >= 8"#).results == 0, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(500))
        }
        for (title, expr) in queries {
            for tenant in [".*", "finance"] {
                let concrete = expr.replacingOccurrences(of: "$__rate_interval", with: "10s")
                    .replacingOccurrences(of: "$__range", with: "1m").replacingOccurrences(of: "$tenant", with: tenant)
                let answer = try query(concrete)
                #expect(answer.status == "success", "\(title): \(concrete)\n\(answer.body)")
                #expect(answer.results > 0, "\(title) has no data: \(concrete)\n\(answer.body)")
            }
        }
        let tenants = try curl(
            "\(prometheusURL)/api/v1/label/tenant/values",
            ["-G", "--data-urlencode", #"match[]=klaxon_tenant_alerts_received_total{job="klaxon"}"#]
        ).body
        for tenant in ["finance", "hr", "marketing"] { #expect(tenants.contains("\"\(tenant)\""), "\(tenants)") }
    }
}
