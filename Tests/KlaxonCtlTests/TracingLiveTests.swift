import Foundation
import KlaxonTestSupport
import Testing

/// The `tracing` section (Alertmanager 0.30's) in the real binary, exporting to a real OTLP/HTTP receiver on loopback:
/// one alert's spans from the ingest request to the webhook's HTTP request, linked parent to child, and the webhook
/// receiving that request's W3C trace context.
@Suite(.enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/curl"), "needs curl"))
struct TracingLive {
    /// A caller's trace context, as Prometheus would send it with its alerts.
    private static let callerTrace = "4bf92f3577b34da6a3ce929d0e0e4736"
    private static let callerSpan = "00f067aa0ba902b7"

    private static func config(webhook: String, tracing: String) -> String {
        """
        route:
          receiver: hook
          group_by: [alertname]
          group_wait: 0s
          group_interval: 5m
        receivers:
          - name: hook
            webhook_configs:
              - url: \(webhook)/hook
        \(tracing)
        """
    }

    @Test(.timeLimit(.minutes(2)))
    func oneAlertIsTracedFromIngestToTheWebhookRequest() async throws {
        let otlp = try OTLPTraceSink()
        defer { otlp.stop() }
        let webhook = try TestHTTPServer()
        defer { webhook.stop() }
        let config = Self.config(
            webhook: webhook.baseURL,
            tracing: """
                tracing:
                  client_type: http
                  endpoint: \(otlp.endpoint)
                  insecure: true
                  sampling_fraction: 1
                  headers:
                    X-Scope-OrgID: {values: [platform]}
                """)
        let server = try LiveServer.klaxon(config: config, arguments: ["--tenant.label=team"]) { port in
            (try? httpGet(port: port, path: "/-/ready")) == 200
        }
        defer { server.stop() }

        let posted = try curl(
            "\(server.url)/api/v2/alerts",
            [
                "-X", "POST", "-H", "Content-Type: application/json",
                "-H", "traceparent: 00-\(Self.callerTrace)-\(Self.callerSpan)-01",
                "-d", #"[{"labels":{"alertname":"DiskFull","team":"payments"}}]"#,
            ])
        #expect(posted.status == 200, "\(posted.body)")
        #expect(await webhook.waitUntil { $0.requests.count == 1 }, "the webhook was not notified")

        // The batch processor exports every 5 s; wait for the five spans of this alert.
        var spans: [OTLPTraceSink.Span] = []
        let deadline = ContinuousClock.now + .seconds(30)
        while ContinuousClock.now < deadline {
            spans = otlp.spans
            if spans.contains(where: { $0.name == "HTTP POST" }), spans.contains(where: { $0.name == "dispatch" }) {
                break
            }
            try await Task.sleep(for: .milliseconds(250))
        }
        func one(_ name: String) throws -> OTLPTraceSink.Span {
            let matching = spans.filter { $0.name == name }
            #expect(matching.count == 1, "\(name) in \(spans)")
            return try #require(matching.first, "no \(name) span in \(spans)")
        }

        // Ingest: a server span under the caller's trace context.
        let ingest = try one("POST /api/v2/alerts")
        #expect(ingest.kind == 2)
        #expect(ingest.traceID == Self.callerTrace)
        #expect(ingest.parentSpanID == Self.callerSpan)
        #expect(ingest.attributes["http.response.status_code"] == "200")
        #expect(ingest.resource["service.name"] == "klaxon")

        // Dispatch: the alert's way into its group, child of the ingest request, with its tenant.
        let dispatch = try one("dispatch")
        #expect(dispatch.traceID == ingest.traceID)
        #expect(dispatch.parentSpanID == ingest.spanID)
        #expect(dispatch.attributes["tenant_id"] == "payments")
        #expect(dispatch.attributes["group_key"] == #"{}:{alertname="DiskFull"}"#)
        #expect(dispatch.attributes["route"] == "{}")

        // Flush: a trace of its own, naming the group, the receiver and what was (not) suppressed.
        let flush = try one("flush")
        #expect(flush.parentSpanID.isEmpty)
        #expect(flush.attributes["group_key"] == #"{}:{alertname="DiskFull"}"#)
        #expect(flush.attributes["receiver"] == "hook")
        #expect(flush.attributes["alerts"] == "1")
        #expect(flush.attributes["suppressed.inhibited"] == "0")
        #expect(flush.attributes["suppressed.silenced"] == "0")
        #expect(flush.attributes["tenant_id"] == "payments")

        // The notification attempt under the flush, and its outbound request under the attempt.
        let attempt = try one("notify webhook")
        #expect(attempt.traceID == flush.traceID)
        #expect(attempt.parentSpanID == flush.spanID)
        #expect(attempt.attributes["integration"] == "webhook")
        #expect(attempt.attributes["attempt"] == "1")
        #expect(attempt.attributes["status"] == "200")
        let outbound = try one("HTTP POST")
        #expect(outbound.kind == 3)
        #expect(outbound.traceID == flush.traceID)
        #expect(outbound.parentSpanID == attempt.spanID)
        #expect(outbound.attributes["http.response.status_code"] == "200")
        #expect(outbound.attributes["server.address"] == "127.0.0.1:\(webhook.port)")

        // The webhook got the outbound span's context, so its own spans join this trace.
        let traceparent = webhook.requests.first?.header("traceparent")
        #expect(traceparent == "00-\(outbound.traceID)-\(outbound.spanID)-01")
        // The section's headers go with each export.
        #expect(otlp.server.requests.first?.header("X-Scope-OrgID") == "platform")
    }

    @Test(.timeLimit(.minutes(1)))
    func withoutATracingSectionNothingIsExportedAndNoTraceContextIsSent() async throws {
        let otlp = try OTLPTraceSink()
        defer { otlp.stop() }
        let webhook = try TestHTTPServer()
        defer { webhook.stop() }
        let server = try LiveServer.klaxon(config: Self.config(webhook: webhook.baseURL, tracing: ""))
        defer { server.stop() }
        let posted = try curl(
            "\(server.url)/api/v2/alerts",
            [
                "-X", "POST", "-H", "Content-Type: application/json",
                "-H", "traceparent: 00-\(Self.callerTrace)-\(Self.callerSpan)-01",
                "-d", #"[{"labels":{"alertname":"DiskFull"}}]"#,
            ])
        #expect(posted.status == 200, "\(posted.body)")
        #expect(await webhook.waitUntil { $0.requests.count == 1 }, "the webhook was not notified")
        #expect(webhook.requests.first?.header("traceparent") == nil)
        // Nothing listens for spans without the section: the receiver stays idle past the exporter's 5 s period.
        try await Task.sleep(for: .seconds(6))
        #expect(otlp.server.requests.isEmpty)
    }
}
