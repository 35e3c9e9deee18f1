import Foundation
import KlaxonTestSupport
import Testing

/// Email and SNS from the real binary: an alert reaches a real SMTP server (aiosmtpd) as an email with the built-in
/// HTML body and a local HTTP server as a signed SNS Publish, and both count in `/metrics` per integration.
@Suite(
    .enabled(if: TestPKI.toolsInstalled && SMTPSink.available, "needs curl, python3 and aiosmtpd"),
    .timeLimit(.minutes(2)))
struct EmailAndSNSLive {
    @Test func anAlertIsEmailedAndPublishedAndCountedPerIntegration() async throws {
        let smtp = try SMTPSink()
        defer { smtp.stop() }
        let sns = try TestHTTPServer { _ in TestHTTPServer.Reply(status: 200) }
        defer { sns.stop() }
        let config = """
            global:
              smtp_smarthost: '\(smtp.smarthost)'
              smtp_from: 'klaxon@example.test'
              smtp_require_tls: false
            route:
              receiver: page
              group_wait: 0s
            receivers:
              - name: page
                email_configs:
                  - to: 'oncall@example.test'
                sns_configs:
                  - api_url: '\(sns.baseURL)'
                    topic_arn: 'arn:aws:sns:us-east-1:123456789012:alerts'
                    sigv4: {region: us-east-1, access_key: AKIDEXAMPLE, secret_key: not-a-real-secret}
            """
        let server = try LiveServer.klaxon(config: config)
        defer { server.stop() }
        let posted = try curl(
            "\(server.url)/api/v2/alerts",
            [
                "-X", "POST", "-H", "Content-Type: application/json", "-d",
                #"[{"labels":{"alertname":"DiskFull","instance":"db-1"},"annotations":{"summary":"<disk> full"}}]"#,
            ])
        #expect(posted.status == 200, "\(posted.body)")
        let deadline = ContinuousClock.now + .seconds(30)
        while smtp.message("oncall") == nil || sns.requests.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        let message = String(decoding: try #require(smtp.message("oncall")), as: UTF8.self)
        #expect(message.contains("Subject: [FIRING:1]  (DiskFull db-1)"))
        #expect(message.contains("Content-Type: text/html; charset=UTF-8"))
        #expect(message.contains("<!DOCTYPE html>"))
        #expect(message.contains("&lt;disk&gt; full"))
        let publish = try #require(sns.requests.first)
        #expect(publish.header("Authorization")?.hasPrefix("AWS4-HMAC-SHA256 Credential=AKIDEXAMPLE/") == true)
        #expect(String(decoding: publish.body, as: UTF8.self).contains("Action=Publish"))

        let metrics = try curl("\(server.url)/metrics").body
        for integration in ["email", "sns"] {
            #expect(
                metrics.contains(#"alertmanager_notifications_total{integration="\#(integration)"} 1"#), "\(metrics)")
            #expect(
                metrics.contains(#"alertmanager_notifications_failed_total{integration="\#(integration)"} 0"#),
                "\(metrics)")
        }
        server.stop()
        #expect(!server.logs().contains("not-a-real-secret"))
    }
}
