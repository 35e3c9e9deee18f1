import Foundation
import KlaxonConfig
import KlaxonCore
import KlaxonEngine
import Prometheus
import Synchronization

/// Alertmanager's own metric names, plus Klaxon's per-tenant series (capped in cardinality).
final class ServerMetrics: Sendable {
    private let registry: PrometheusCollectorRegistry
    private let tenantLabel: String
    private let maxTenants: Int
    private let tenants = Mutex<Set<String>>([])
    private let lastReloadSuccessful: Gauge
    private let lastReloadTimestamp: Gauge
    private let configHash: Gauge

    /// Every integration Alertmanager pre-initialises in its notification counters.
    static let integrations = [
        "email", "pagerduty", "wechat", "pushover", "slack", "opsgenie", "webhook", "victorops", "sns", "telegram",
        "discord", "webex", "msteams",
    ]

    init(registry: PrometheusCollectorRegistry, tenantLabel: String, maxTenants: Int) {
        self.registry = registry
        self.tenantLabel = tenantLabel
        self.maxTenants = maxTenants
        lastReloadSuccessful = Self.gauge(registry, "alertmanager_config_last_reload_successful")
        lastReloadTimestamp = Self.gauge(registry, "alertmanager_config_last_reload_success_timestamp_seconds")
        configHash = Self.gauge(registry, "alertmanager_config_hash")
        for integration in Self.integrations {
            _ = Self.counter(registry, "alertmanager_notifications_total", labels: [("integration", integration)])
            _ = Self.counter(
                registry, "alertmanager_notification_requests_total", labels: [("integration", integration)])
            _ = Self.counter(
                registry, "alertmanager_notification_requests_failed_total", labels: [("integration", integration)])
        }
        Self.gauge(registry, "alertmanager_cluster_enabled").set(to: 0)
        Self.gauge(
            registry, "alertmanager_build_info",
            labels: [("version", KlaxonVersion.version), ("revision", KlaxonVersion.revision), ("branch", "main")]
        ).set(to: 1)
    }

    /// A gauge by plain name (no namespace, unit or help text: the exposition has no `# HELP` line, as before).
    private static func gauge(
        _ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)] = []
    ) -> Gauge {
        registry.makeGauge(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: ""), labels: labels)
    }

    /// A counter by plain name, like `gauge`.
    private static func counter(
        _ registry: PrometheusCollectorRegistry, _ name: String, labels: [(String, String)] = []
    ) -> Counter {
        registry.makeCounter(
            descriptor: MetricNameDescriptor(metricName: name, unitName: "", helpText: ""), labels: labels)
    }

    /// Records the outcome of a config (re)load.
    func configReloaded(success: Bool, config: Config? = nil) {
        lastReloadSuccessful.set(to: success ? 1 : 0)
        guard success, let config else { return }
        lastReloadTimestamp.set(Date().timeIntervalSince1970)
        var hasher = FNVHasher()
        hasher.add(config.original)
        configHash.set(Double(hasher.value >> 11))
        Self.gauge(registry, "alertmanager_receivers").set(Double(config.receivers.count))
        Self.gauge(registry, "alertmanager_inhibition_rules").set(Double(config.inhibitRules.count))
    }

    /// Counts received alerts per tenant; tenants past the cap are counted as `other`.
    func received(_ alerts: [Alert]) {
        var counts: [String: Int] = [:]
        for alert in alerts { counts[alert.labels[tenantLabel] ?? "", default: 0] += 1 }
        for (tenant, count) in counts {
            let name = tenants.withLock { known -> String in
                if known.contains(tenant) { return tenant }
                if known.count < maxTenants {
                    known.insert(tenant)
                    return tenant
                }
                return "other"
            }
            Self.counter(registry, "klaxon_tenant_alerts_received_total", labels: [("tenant", name)])
                .increment(by: Int64(count))
        }
    }

    /// Updates the gauges that are computed from state, just before a scrape.
    func refresh(engine: Engine) {
        let now = Date()
        var active = 0
        var suppressed = 0
        var perTenant: [String: Int] = [:]
        for alert in engine.alerts.all() where !alert.isResolved(at: now) {
            let muted = !engine.silencedBy(alert.labels, now: now).isEmpty || engine.inhibitedBy(alert, now: now) != nil
            if muted { suppressed += 1 } else { active += 1 }
            perTenant[alert.labels[tenantLabel] ?? "", default: 0] += 1
        }
        Self.gauge(registry, "alertmanager_alerts", labels: [("state", "active")]).set(Double(active))
        Self.gauge(registry, "alertmanager_alerts", labels: [("state", "suppressed")]).set(Double(suppressed))
        Self.gauge(registry, "alertmanager_alerts", labels: [("state", "unprocessed")]).set(to: 0)
        let counts = engine.silenceCounts(now: now)
        Self.gauge(registry, "alertmanager_silences", labels: [("state", "active")]).set(Double(counts.active))
        Self.gauge(registry, "alertmanager_silences", labels: [("state", "pending")]).set(Double(counts.pending))
        Self.gauge(registry, "alertmanager_silences", labels: [("state", "expired")]).set(Double(counts.expired))
        Self.gauge(registry, "alertmanager_dispatcher_aggregation_groups").set(Double(engine.dispatcher.groupCount))
        let known = tenants.withLock { $0 }
        var folded: [String: Int] = [:]
        for (tenant, count) in perTenant { folded[known.contains(tenant) ? tenant : "other", default: 0] += count }
        for (tenant, count) in folded {
            Self.gauge(registry, "klaxon_tenant_alerts", labels: [("tenant", tenant)]).set(Double(count))
        }
    }
}

/// FNV-1a 64 over a string, for the config hash gauge.
private struct FNVHasher {
    var value: UInt64 = 14_695_981_039_346_656_037
    mutating func add(_ s: String) {
        for b in s.utf8 {
            value ^= UInt64(b)
            value = value &* 1_099_511_628_211
        }
    }
}
