import Benchmark
import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonHTTP
import KlaxonNotify
import KlaxonTemplate

/// One process-wide sink and client, as klaxon has one client: connections are reused across iterations.
let sink = Sink()
let client = HTTPClient()

/// A 100-alert group for SlackNotifier (90 firing, 10 resolved).
func hundredAlertNotification(now: Date) -> GroupNotification {
    let alerts = (0..<100).map { i in
        let node = "node-" + String(repeating: "0", count: 3 - String(i).count) + String(i)
        return Alert(
            labels: LabelSet([
                "alertname": "DiskFull", "instance": "\(node):9100", "job": "node", "severity": "warning",
                "device": "/dev/sda1",
            ]),
            annotations: LabelSet(["summary": "Disk on \(node) is 95% full"]),
            startsAt: now.addingTimeInterval(-600), endsAt: i % 10 == 0 ? now.addingTimeInterval(-60) : .zero,
            generatorURL: "http://prometheus.example.com/graph?g0.expr=disk&i=\(i)", updatedAt: now)
    }
    return GroupNotification(
        receiver: "ops", groupKey: "{}:{alertname=\"DiskFull\"}", groupLabels: LabelSet(["alertname": "DiskFull"]),
        alerts: alerts, now: now)
}

func slackNotifier() -> SlackNotifier {
    let yaml = """
        route:
          receiver: ops
        receivers:
          - name: ops
            slack_configs:
              - api_url: http://127.0.0.1:\(sink.port)/slack
                channel: "#ops"
                send_resolved: true
        """
    guard let config = try? Config.parse(yaml: yaml, baseDirectory: "/"),
        let slack = config.receivers.first?.slackConfigs.first,
        let templates = try? TemplateSet.defaults()
    else { preconditionFailure("the benchmark's Slack config loads") }
    return SlackNotifier(config: slack, templates: templates, client: client, externalURL: "http://127.0.0.1:9093")
}

// Benchmark names keep to [A-Za-z0-9._-]: ordo-one/benchmark 1.38.1 writes threshold files under a shell-safe
// version of the name but reads them back under the raw one.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3),
        maxIterations: 20_000,
        thresholds: [
            .mallocCountTotal: .init(relative: [.p50: 10.0], absolute: [.p50: 100]),
            // Loose enough for another build on the other core; catches order-of-magnitude regressions only.
            .wallClock: .init(relative: [.p50: 200.0]),
            .throughput: .init(relative: [.p50: 70.0]),
        ])

    let body = [UInt8](repeating: UInt8(ascii: "x"), count: 1024)
    let request = HTTPRequest(
        method: "POST", url: "http://127.0.0.1:\(sink.port)/webhook",
        headers: [HTTPHeader("Content-Type", "application/json")], body: body)

    Benchmark("HTTPClient-POST-1KiB-sequential") { benchmark in
        for _ in benchmark.scaledIterations {
            let response = try await client.execute(request)
            guard response.status == 200 else { preconditionFailure("the sink answers 200") }
        }
    }

    // One iteration is 16 requests in flight at once.
    Benchmark(
        "HTTPClient-POST-1KiB-16-in-flight",
        configuration: .init(maxIterations: 2_000)
    ) { benchmark in
        for _ in benchmark.scaledIterations {
            try await withThrowingTaskGroup(of: Void.self) { group in
                for _ in 0..<16 {
                    group.addTask { _ = try await client.execute(request) }
                }
                try await group.waitForAll()
            }
        }
    }

    let notifier = slackNotifier()
    let notification = hundredAlertNotification(now: Date())
    Benchmark("SlackNotifier-100-alerts-render-and-POST") { benchmark in
        for _ in benchmark.scaledIterations {
            let result = await notifier.notify(notification)
            guard case .delivered = result else { preconditionFailure("Slack delivery to the sink: \(result)") }
        }
    } teardown: {
        // Connection reuse: every benchmark so far shared one client, so connections stay far below requests.
        let counts = sink.counts
        print("sink: \(counts.requests) requests over \(counts.connections) connections")
        guard counts.connections <= 64 else { preconditionFailure("the client did not reuse its connections") }
    }
}
