import Foundation
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import KlaxonEngine
import Prometheus
import Synchronization

/// Alertmanager's own metric names, plus Klaxon's per-tenant series (capped in cardinality). Every series is made
/// once: the fixed ones here, a tenant's the first time it is seen; scrapes and requests only set and increment.
final class ServerMetrics: Sendable {
    /// One tenant's series.
    private struct TenantSeries {
        let received: Counter
        let alerts: Gauge
        let alertsRefused: Counter
        let silencesRefused: Counter
        let notificationsDigested: Counter
        let digestsSent: Counter
    }

    private let registry: PrometheusCollectorRegistry
    private let tenantLabel: String
    private let maxTenants: Int
    /// Tenants with series of their own (at most `maxTenants`), and the series of all others once needed.
    private struct Tenants {
        var own: [String: TenantSeries] = [:]
        var other: TenantSeries?
    }

    private let tenants = Mutex(Tenants())
    private let lastReloadSuccessful: Gauge
    private let lastReloadTimestamp: Gauge
    private let configHash: Gauge
    private let receivers: Gauge
    private let inhibitionRules: Gauge
    private let activeAlerts: Gauge
    private let suppressedAlerts: Gauge
    private let unprocessedAlerts: Gauge
    private let activeSilences: Gauge
    private let pendingSilences: Gauge
    private let expiredSilences: Gauge
    private let aggregationGroups: Gauge

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
        receivers = Self.gauge(registry, "alertmanager_receivers")
        inhibitionRules = Self.gauge(registry, "alertmanager_inhibition_rules")
        activeAlerts = Self.gauge(registry, "alertmanager_alerts", labels: [("state", "active")])
        suppressedAlerts = Self.gauge(registry, "alertmanager_alerts", labels: [("state", "suppressed")])
        unprocessedAlerts = Self.gauge(registry, "alertmanager_alerts", labels: [("state", "unprocessed")])
        activeSilences = Self.gauge(registry, "alertmanager_silences", labels: [("state", "active")])
        pendingSilences = Self.gauge(registry, "alertmanager_silences", labels: [("state", "pending")])
        expiredSilences = Self.gauge(registry, "alertmanager_silences", labels: [("state", "expired")])
        aggregationGroups = Self.gauge(registry, "alertmanager_dispatcher_aggregation_groups")
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
            labels: [
                ("version", KlaxonVersion.version), ("revision", KlaxonVersion.revision),
                ("branch", KlaxonVersion.branch),
            ]
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
        receivers.set(Double(config.receivers.count))
        inhibitionRules.set(Double(config.inhibitRules.count))
    }

    /// Counts received alerts per tenant; tenants past the cap are counted as `other`.
    func received(_ alerts: [Alert]) {
        for (tenant, count) in countsByTenant(alerts) { series(forNew: tenant).received.increment(by: Int64(count)) }
    }

    /// Counts alerts refused under the access file (another tenant's, or no tenant) per tenant named in them.
    func refused(_ alerts: [Alert]) {
        for (tenant, count) in countsByTenant(alerts) {
            series(forNew: tenant).alertsRefused.increment(by: Int64(count))
        }
    }

    /// Alerts per value of the tenant label ("" for alerts without it).
    private func countsByTenant(_ alerts: [Alert]) -> [String: Int] {
        var counts: [String: Int] = [:]
        for alert in alerts { counts[alert.labels[tenantLabel] ?? "", default: 0] += 1 }
        return counts
    }

    /// Counts a silence refused by a tenant's `max_silences`.
    func silenceRefused(tenant: String) {
        series(forNew: tenant).silencesRefused.increment()
    }

    /// Counts what `max_notifications_per_minute` did: a group held for a digest, a digest sent.
    func notificationLimited(_ event: TenantNotificationEvent) {
        switch event {
        case .held(let tenant, _): series(forNew: tenant).notificationsDigested.increment()
        case .digestSent(let tenant, _, _): series(forNew: tenant).digestsSent.increment()
        }
    }

    /// The series of a tenant seen in received alerts: its own while fewer than `maxTenants` are known, else
    /// `other`'s. Made on first sight.
    private func series(forNew tenant: String) -> TenantSeries {
        tenants.withLock { tenants in
            if let series = tenants.own[tenant] { return series }
            guard tenants.own.count < maxTenants else { return otherSeries(&tenants) }
            let series = makeSeries(tenant)
            tenants.own[tenant] = series
            return series
        }
    }

    private func otherSeries(_ tenants: inout Tenants) -> TenantSeries {
        if let other = tenants.other { return other }
        let other = makeSeries("other")
        tenants.other = other
        return other
    }

    private func makeSeries(_ tenant: String) -> TenantSeries {
        TenantSeries(
            received: Self.counter(registry, "klaxon_tenant_alerts_received_total", labels: [("tenant", tenant)]),
            alerts: Self.gauge(registry, "klaxon_tenant_alerts", labels: [("tenant", tenant)]),
            alertsRefused: Self.counter(
                registry, "klaxon_tenant_alerts_refused_total", labels: [("tenant", tenant)]),
            silencesRefused: Self.counter(
                registry, "klaxon_tenant_silences_refused_total", labels: [("tenant", tenant)]),
            notificationsDigested: Self.counter(
                registry, "klaxon_tenant_notifications_digested_total", labels: [("tenant", tenant)]),
            digestsSent: Self.counter(registry, "klaxon_tenant_digests_sent_total", labels: [("tenant", tenant)]))
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
        activeAlerts.set(Double(active))
        suppressedAlerts.set(Double(suppressed))
        unprocessedAlerts.set(to: 0)
        let counts = engine.silenceCounts(now: now)
        activeSilences.set(Double(counts.active))
        pendingSilences.set(Double(counts.pending))
        expiredSilences.set(Double(counts.expired))
        aggregationGroups.set(Double(engine.dispatcher.groupCount))
        var folded: [String: Int] = [:]
        var others = 0
        let own = tenants.withLock { $0.own }
        for (tenant, count) in perTenant {
            if own[tenant] != nil { folded[tenant, default: 0] += count } else { others += count }
        }
        for (tenant, count) in folded { own[tenant]?.alerts.set(Double(count)) }
        if others > 0 { tenants.withLock { otherSeries(&$0) }.alerts.set(Double(others)) }
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
