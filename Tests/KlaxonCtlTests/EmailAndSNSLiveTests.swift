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

        // Every failed attempt counts (alertmanager_notifications_failed_total counts a notification only once its
        // retries have ended).
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

    /// Failed deliveries from the real binary: an SMTP server refusing the recipient (550) and an SNS endpoint
    /// answering 500 are retried, an SNS 400 is not, and each log line names the integration, the receiver and the
    /// server's status in Alertmanager's words.
    @Test func failedDeliveriesAreLoggedWithTheIntegrationAndTheStatus() async throws {
        let smtp = try SMTPSink(["--fail", "rcpt:550"])
        defer { smtp.stop() }
        let failing = try TestHTTPServer { _ in
            TestHTTPServer.Reply(
                status: 500,
                body: Array("<ErrorResponse><Error><Message>Internal</Message></Error></ErrorResponse>".utf8))
        }
        defer { failing.stop() }
        let refusing = try TestHTTPServer { _ in
            TestHTTPServer.Reply(
                status: 400,
                body: Array("<ErrorResponse><Error><Message>Bad topic</Message></Error></ErrorResponse>".utf8))
        }
        defer { refusing.stop() }
        let sigv4 = "sigv4: {region: us-east-1, access_key: AKIDEXAMPLE, secret_key: not-a-real-secret}"
        let config = """
            route:
              receiver: page
              group_wait: 0s
              routes:
                - {matchers: ['kind="refused"'], receiver: refused}
            receivers:
              - name: page
                email_configs:
                  - {to: 'oncall@example.test', from: 'k@example.test', smarthost: '\(smtp.smarthost)', require_tls: false}
                sns_configs:
                  - {api_url: '\(failing.baseURL)', topic_arn: 'arn:aws:sns:us-east-1:1:a', \(sigv4)}
              - name: refused
                sns_configs:
                  - {api_url: '\(refusing.baseURL)', topic_arn: 'arn:aws:sns:us-east-1:1:b', \(sigv4)}
            """
        let server = try LiveServer.klaxon(config: config)
        defer { server.stop() }
        let posted = try curl(
            "\(server.url)/api/v2/alerts",
            [
                "-X", "POST", "-H", "Content-Type: application/json", "-d",
                #"[{"labels":{"alertname":"A"}},{"labels":{"alertname":"B","kind":"refused"}}]"#,
            ])
        #expect(posted.status == 200, "\(posted.body)")
        let deadline = ContinuousClock.now + .seconds(30)
        while failing.requests.count < 2 || refusing.requests.isEmpty, ContinuousClock.now < deadline {
            try await Task.sleep(for: .milliseconds(200))
        }
        #expect(failing.requests.count >= 2, "the SNS 500 was retried")
        try await Task.sleep(for: .seconds(1))
        #expect(refusing.requests.count == 1, "the SNS 400 was not retried")
        // Every failed attempt counts (alertmanager_notifications_failed_total counts a notification only once its
        // retries have ended).
        let metrics = try curl("\(server.url)/metrics").body
        for (integration, failures) in [("email", 1), ("sns", 3)] {
            let counted = metrics.split(separator: "\n").first {
                $0.hasPrefix(#"alertmanager_notification_requests_failed_total{integration="\#(integration)"}"#)
            }
            let value = counted.flatMap { Int($0.split(separator: " ").last ?? "") }
            #expect((value ?? 0) >= failures, "\(integration): \(String(describing: counted))")
        }
        let lines = server.logs().split(separator: "\n").map(String.init)
        func line(_ message: String, _ parts: [String]) -> String? {
            lines.first { line in line.contains("msg=\"\(message)\"") && parts.allSatisfy { line.contains($0) } }
        }
        #expect(
            line(
                "Notify attempt failed, will retry later",
                [
                    "integration.name=email", "receiver.name=page",
                    #"error="send RCPT command: 550 5.7.1 refused (sink)""#,
                ]
            ) != nil, "\(lines)")
        #expect(
            line(
                "Notify attempt failed, will retry later",
                ["integration.name=sns", "receiver.name=page", #"error="unexpected status code 500: Internal""#]
            ) != nil, "\(lines)")
        #expect(
            line(
                "Notify retry canceled due to unrecoverable error",
                ["integration.name=sns", "receiver.name=refused", #"error="unexpected status code 400: Bad topic""#]
            ) != nil, "\(lines)")
        #expect(!lines.contains { $0.contains("not-a-real-secret") })
    }
}
