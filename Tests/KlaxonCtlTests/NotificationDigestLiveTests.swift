import Crypto
import Foundation
import KlaxonTestSupport
import Testing

/// `max_notifications_per_minute` in the real binary: a tenant's storm reaches its webhook as the limit's worth of
/// ordinary notifications and then one digest at the start of the next minute, counted in `/metrics`. Waits for a
/// wall-clock minute boundary (at most a minute), asleep, so it holds no thread.
@Suite(.enabled(if: TestPKI.toolsInstalled, "needs curl"))
struct NotificationDigestLive {
    @Test(.timeLimit(.minutes(3)))
    func aTenantsStormReachesItsWebhookAsTheLimitPlusOneDigest() async throws {
        let sink = try TestHTTPServer()
        defer { sink.stop() }
        let pki = try TestPKI()
        defer { pki.remove() }
        let access = try pki.write(
            "access.yml",
            """
            principals:
              - {name: platform, role: admin, bearer_token_sha256: "\(Self.tokenSHA256)"}
            tenants:
              - name: finance
                limits: {max_notifications_per_minute: 2}
            """)
        let config = """
            route:
              receiver: hook
              group_by: [alertname, tenant_id]
              group_wait: 0s
              group_interval: 5m
            receivers:
              - name: hook
                webhook_configs:
                  - url: \(sink.baseURL)/hook
            """
        let server = try LiveServer.klaxon(config: config, arguments: ["--access.config.file=\(access)"]) { port in
            (try? httpGet(port: port, path: "/-/ready")) == 200
        }
        defer { server.stop() }
        // Post in the first half of a minute, so the limit's notifications and the digest fall in different minutes.
        while Int(Date().timeIntervalSince1970) % 60 > 30 { try await Task.sleep(for: .milliseconds(500)) }
        let posted = try curl(
            "\(server.url)/api/v2/alerts",
            [
                "-X", "POST", "-H", "Content-Type: application/json", "-H", "Authorization: Bearer \(Self.token)",
                "-d",
                "["
                    + (0..<20).map { #"{"labels":{"alertname":"Storm\#($0)","tenant_id":"finance"}}"# }
                    .joined(separator: ",") + "]",
            ])
        #expect(posted.status == 200, "\(posted.body)")
        let deadline = ContinuousClock.now + .seconds(100)
        while sink.requests.count < 3, ContinuousClock.now < deadline { try await Task.sleep(for: .milliseconds(250)) }
        try await Task.sleep(for: .seconds(1))
        let bodies = sink.requests.map { String(decoding: $0.body, as: UTF8.self) }
        #expect(bodies.count == 3, "\(bodies)")
        let digests = bodies.filter { $0.contains(#""groupKey":"{}/klaxon-digest:{tenant_id=\"finance\"}""#) }
        #expect(digests.count == 1, "\(bodies)")
        let digest = try #require(digests.first)
        #expect(digest.components(separatedBy: #""status":"firing","labels""#).count - 1 == 18, "\(digest)")
        #expect(digest.contains("1 firing and 0 resolved alerts held: tenant finance is over its limit of 2"))
        let metrics = try curl("\(server.url)/metrics", ["-H", "Authorization: Bearer \(Self.token)"]).body
        #expect(metrics.contains(#"klaxon_tenant_notifications_digested_total{tenant="finance"} 18"#), "\(metrics)")
        #expect(metrics.contains(#"klaxon_tenant_digests_sent_total{tenant="finance"} 1"#), "\(metrics)")
    }

    /// The platform admin's bearer token, and its SHA-256 as the access file lists it.
    private static let token = "digest-admin-token"
    private static let tokenSHA256 = SHA256.hash(data: Data(token.utf8)).map { String(format: "%02x", $0) }.joined()
}
