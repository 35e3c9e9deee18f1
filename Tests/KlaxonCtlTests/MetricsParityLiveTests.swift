import Foundation
import KlaxonTestSupport
import Testing

/// `/metrics` as a dashboard or an alerting rule sees it: after the same scenario on the real Alertmanager 0.25 and
/// on Klaxon (alerts, a silence, a notification delivered and one failing, a query, a reload), every
/// `alertmanager_*` family of Alertmanager is in Klaxon's with the same type and label names. The only differences
/// are the documented ones below.
@Suite(.enabled(if: Binaries.alertmanager != nil, "needs Alertmanager 0.25 (apt-get install prometheus-alertmanager)"))
struct MetricsParityLive {
    /// Families Klaxon exposes that Alertmanager 0.25 does not: both come from Alertmanager 0.26+, which Klaxon's
    /// time-interval and inhibition dashboards use.
    static let klaxonOnly: Set<String> = [
        "alertmanager_inhibition_rules", "alertmanager_notifications_suppressed_total",
    ]

    /// A family's type and label names (`le` and `quantile` aside).
    struct Family: Equatable, CustomStringConvertible {
        var type: String
        var labels: Set<String>
        var description: String { "\(type) \(labels.sorted())" }
    }

    static func families(_ exposition: String) -> [String: Family] {
        var families: [String: Family] = [:]
        let lines = exposition.split(separator: "\n")
        for line in lines where line.hasPrefix("# TYPE ") {
            let parts = line.split(separator: " ")
            guard parts.count == 4 else { continue }
            families[String(parts[2])] = Family(type: String(parts[3]), labels: [])
        }
        for line in lines where !line.hasPrefix("#") {
            let name = String(line.prefix { $0 != "{" && $0 != " " })
            var family = name
            for suffix in ["_bucket", "_count", "_sum"] where name.hasSuffix(suffix) {
                let base = String(name.dropLast(suffix.count))
                if families[base] != nil { family = base }
            }
            guard families[family] != nil else { continue }
            if let open = line.firstIndex(of: "{"), let close = line.lastIndex(of: "}") {
                for match in line[open..<close].matches(of: /([a-zA-Z_][a-zA-Z0-9_]*)="/) {
                    let label = String(match.output.1)
                    if label != "le" && label != "quantile" { families[family]?.labels.insert(label) }
                }
            }
        }
        return families.filter { $0.key.hasPrefix("alertmanager_") }
    }

    /// Runs the scenario against a server and returns its `/metrics`.
    func scenario(_ server: LiveServer) throws -> String {
        let json = ["-H", "Content-Type: application/json", "-X", "POST"]
        let alerts = #"[{"labels":{"alertname":"Delivered"}},{"labels":{"alertname":"Failing","sink":"down"}}]"#
        #expect(try curl("\(server.url)/api/v2/alerts", json + ["-d", alerts]).status == 200)
        let silence = """
            {"matchers":[{"name":"alertname","value":"Silenced","isRegex":false}],"startsAt":"2026-01-01T00:00:00Z",
            "endsAt":"2036-01-01T00:00:00Z","createdBy":"test","comment":"parity"}
            """
        #expect(try curl("\(server.url)/api/v2/silences", json + ["-d", silence]).status == 200)
        #expect(try curl("\(server.url)/api/v2/alerts").status == 200)
        #expect(try curl("\(server.url)/-/reload", ["-X", "POST"]).status == 200)
        usleep(2_500_000)  // group_wait 1s: both notifications are attempted
        return try curl("\(server.url)/metrics").body
    }

    @Test func everyAlertmanagerMetricFamilyIsExposedWithItsTypeAndLabelNames() throws {
        let sink = try TestHTTPServer { request in
            TestHTTPServer.Reply(status: request.target.hasPrefix("/down") ? 500 : 200)
        }
        defer { sink.stop() }
        let config = """
            route:
              receiver: hook
              group_by: [alertname]
              group_wait: 1s
              group_interval: 10s
              routes:
                - receiver: down
                  matchers: [sink="down"]
            receivers:
              - name: hook
                webhook_configs: [{url: "\(sink.baseURL)/up"}]
              - name: down
                webhook_configs: [{url: "\(sink.baseURL)/down"}]
            """
        let alertmanager = try #require(try LiveServer.alertmanager(config: config))
        defer { alertmanager.stop() }
        let expected = Self.families(try scenario(alertmanager))
        let klaxon = try LiveServer.klaxon(config: config)
        defer { klaxon.stop() }
        let actual = Self.families(try scenario(klaxon))
        #expect(expected.count >= 35, "\(expected.keys.sorted())")
        for (name, family) in expected.sorted(by: { $0.key < $1.key }) {
            #expect(
                actual[name] == family,
                "\(name): Alertmanager \(family), Klaxon \(actual[name]?.description ?? "missing")")
        }
        #expect(Set(actual.keys).subtracting(expected.keys) == Self.klaxonOnly)
    }
}
