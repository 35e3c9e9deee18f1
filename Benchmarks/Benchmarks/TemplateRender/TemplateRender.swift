import Benchmark
import Foundation
import KlaxonTemplate

/// A 100-alert group like tests' data-100-alerts.json: 90 firing, 10 resolved, five labels and two annotations each.
func hundredAlertGroup() -> TemplateData {
    let start = Date(timeIntervalSince1970: 1_796_032_800)
    let alerts = (0..<100).map { i in
        let node = "node-" + String(repeating: "0", count: 3 - String(i).count) + String(i)
        return TemplateAlert(
            status: i % 10 == 0 ? "resolved" : "firing",
            labels: KV([
                "alertname": "DiskFull", "instance": "\(node):9100", "job": "node", "severity": "warning",
                "device": "/dev/sda1",
            ]),
            annotations: KV(["summary": "Disk on \(node) is 95% full", "description": "Free space below 5% for 10m."]),
            startsAt: start, endsAt: i % 10 == 0 ? start.addingTimeInterval(3600) : TemplateTime.goZeroDate,
            generatorURL: "http://prometheus.example.com/graph?g0.expr=disk&i=\(i)", fingerprint: "\(i)")
    }
    return TemplateData(
        receiver: "ops", status: "firing", alerts: alerts, groupLabels: KV(["alertname": "DiskFull"]),
        commonLabels: KV(["alertname": "DiskFull", "job": "node", "severity": "warning", "device": "/dev/sda1"]),
        commonAnnotations: KV(["description": "Free space below 5% for 10m."]),
        externalURL: "http://alertmanager.example.com:9093")
}

// Benchmark names keep to [A-Za-z0-9._-]: ordo-one/benchmark 1.38.1 writes threshold files under a shell-safe
// version of the name but reads them back under the raw one.
let benchmarks: @Sendable () -> Void = {
    Benchmark.defaultConfiguration = .init(
        metrics: [.wallClock, .throughput, .mallocCountTotal],
        maxDuration: .seconds(3),
        thresholds: [
            // Allocation counts are deterministic: they may not grow. Wall time is noisy on a shared machine.
            .mallocCountTotal: .init(relative: [.p50: 5.0], absolute: [.p50: 50]),
            // Loose enough for another build on the other core; catches order-of-magnitude regressions only.
            .wallClock: .init(relative: [.p50: 200.0]),
            .throughput: .init(relative: [.p50: 70.0]),
        ])

    guard let templates = try? TemplateSet.defaults() else {
        preconditionFailure("the embedded default templates parse")
    }
    let value = hundredAlertGroup().value()

    for name in ["slack.default.title", "slack.default.text", "pagerduty.default.description"] {
        Benchmark("render-\(name)-100-alerts") { benchmark in
            for _ in benchmark.scaledIterations {
                blackHole(try templates.render(text: "{{ template \"\(name)\" . }}", data: value))
            }
        }
    }

    // The whole alert list (what a custom Slack text typically ranges over): the heaviest default define.
    Benchmark("render-__text_alert_list-100-alerts") { benchmark in
        for _ in benchmark.scaledIterations {
            blackHole(try templates.render(text: #"{{ template "__text_alert_list" .Alerts }}"#, data: value))
        }
    }
}
