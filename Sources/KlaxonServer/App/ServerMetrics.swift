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
        /// `klaxon_tenant_alerts{state="active"}`: firing, not silenced or inhibited.
        let activeAlerts: Gauge
        /// `klaxon_tenant_alerts{state="suppressed"}`: firing but silenced or inhibited.
        let suppressedAlerts: Gauge
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
    private let integrations: Gauge
    private let markedActive: Gauge
    private let markedSuppressed: Gauge
    private let markedUnprocessed: Gauge
    private let nflogSnapshotSize: Gauge
    private let silencesSnapshotSize: Gauge
    /// `alertmanager_http_concurrency_limit_exceeded_total{method="get"}`.
    let getConcurrencyLimitExceeded: Counter
    /// The HTTP series by handler and method, and in-flight gauges by method, made on first use.
    private let http = Mutex<(series: [String: HTTPSeries], inFlight: [String: Gauge])>(([:], [:]))
    /// The state database's file, whose size stands for the snapshot sizes; nil for an in-memory store.
    private let databaseFile: String?

    /// One handler and method's request duration and response size.
    struct HTTPSeries {
        let duration: DurationHistogram
        let size: ValueHistogram
    }

    init(registry: PrometheusCollectorRegistry, tenantLabel: String, maxTenants: Int, databaseFile: String? = nil) {
        self.registry = registry
        self.databaseFile = databaseFile

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
        integrations = Self.gauge(registry, "alertmanager_integrations")
        markedActive = Self.gauge(registry, "alertmanager_marked_alerts", labels: [("state", "active")])
        markedSuppressed = Self.gauge(registry, "alertmanager_marked_alerts", labels: [("state", "suppressed")])
        markedUnprocessed = Self.gauge(registry, "alertmanager_marked_alerts", labels: [("state", "unprocessed")])
        nflogSnapshotSize = Self.gauge(registry, "alertmanager_nflog_snapshot_size_bytes")
        silencesSnapshotSize = Self.gauge(registry, "alertmanager_silences_snapshot_size_bytes")
        getConcurrencyLimitExceeded = Self.counter(
            registry, "alertmanager_http_concurrency_limit_exceeded_total", labels: [("method", "get")])
        Self.gauge(registry, "alertmanager_cluster_enabled").set(to: 0)
        let (goos, goarch) = Self.platform
        Self.gauge(
            registry, "alertmanager_build_info",
            labels: [
                ("version", KlaxonVersion.version), ("revision", KlaxonVersion.revision),
                ("branch", KlaxonVersion.branch), ("goversion", KlaxonVersion.swift), ("goos", goos),
                ("goarch", goarch),
            ]
        ).set(to: 1)
    }

    /// Go's GOOS and GOARCH for this build.
    private static var platform: (String, String) {
        let parts = KlaxonVersion.platform.split(separator: "/").map(String.init)
        return (parts.first ?? "unknown", parts.last ?? "unknown")
    }

    /// Alertmanager's HTTP instrumentation: request duration and response size by handler and method.
    func httpRequest(handler: String, method: String, seconds: Double, responseBytes: Int) {
        let series = http.withLock { http -> HTTPSeries in
            let key = handler + " " + method
            if let series = http.series[key] { return series }
            let labels = [("handler", handler), ("method", method)]
            let series = HTTPSeries(
                duration: registry.makeDurationHistogram(
                    descriptor: MetricNameDescriptor(
                        metricName: "alertmanager_http_request_duration_seconds", unitName: "", helpText: ""),
                    labels: labels, buckets: Self.requestDurationBuckets),
                size: registry.makeValueHistogram(
                    descriptor: MetricNameDescriptor(
                        metricName: "alertmanager_http_response_size_bytes", unitName: "", helpText: ""),
                    labels: labels, buckets: Self.responseSizeBuckets))
            http.series[key] = series
            return series
        }
        series.duration.record(.nanoseconds(Int64(seconds * 1e9)))
        series.size.record(Double(responseBytes))
    }

    /// `alertmanager_http_requests_in_flight{method}`.
    func inFlight(method: String) -> Gauge {
        http.withLock { http in
            if let gauge = http.inFlight[method] { return gauge }
            let gauge = Self.gauge(registry, "alertmanager_http_requests_in_flight", labels: [("method", method)])
            http.inFlight[method] = gauge
            return gauge
        }
    }

    /// Alertmanager's buckets for `alertmanager_http_request_duration_seconds`.
    static let requestDurationBuckets: [Duration] = [0.05, 0.1, 0.25, 0.5, 0.75, 1, 2, 5, 20, 60].map {
        .nanoseconds(Int64($0 * 1e9))
    }
    /// Alertmanager's buckets for `alertmanager_http_response_size_bytes`.
    static let responseSizeBuckets: [Double] = [100, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8]
    /// Prometheus' default buckets, which Alertmanager's query-duration histograms use.
    static let defaultBuckets: [Duration] = [0.005, 0.01, 0.025, 0.05, 0.1, 0.25, 0.5, 1, 2.5, 5, 10].map {
        .nanoseconds(Int64($0 * 1e9))
    }

    /// Histogram buckets of the engine's timers, by name, for the metrics factory: Alertmanager's.
    static var timerBuckets: [String: [Duration]] {
        [
            "alertmanager_notification_latency_seconds": [1, 5, 10, 15, 20].map { .seconds($0) },
            "alertmanager_nflog_query_duration_seconds": defaultBuckets,
            "alertmanager_silences_query_duration_seconds": defaultBuckets,
        ]
    }

    /// The summaries, rendered after the registry's families (swift-prometheus has no summary type).
    func emitSummaries(engine: Engine, into buffer: inout [UInt8]) {
        for summary in engine.metrics.summaries { buffer.append(contentsOf: summary.exposition.utf8) }
    }

    /// The size of a file and its SQLite write-ahead log, 0 when missing.
    private static func fileSize(_ path: String) -> Int {
        [path, path + "-wal"].reduce(0) { total, file in
            let size = (try? FileManager.default.attributesOfItem(atPath: file)[.size] as? Int) ?? nil
            return total + (size ?? 0)
        }
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
            activeAlerts: Self.gauge(
                registry, "klaxon_tenant_alerts", labels: [("tenant", tenant), ("state", "active")]),
            suppressedAlerts: Self.gauge(
                registry, "klaxon_tenant_alerts", labels: [("tenant", tenant), ("state", "suppressed")]),
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
        var perTenant: [String: (active: Int, suppressed: Int)] = [:]
        // alertmanager_alerts counts alerts not yet resolved; alertmanager_marked_alerts every alert held.
        var marked = (active: 0, suppressed: 0)
        for alert in engine.alerts.all() {
            let muted = !engine.silencedBy(alert.labels, now: now).isEmpty || engine.inhibitedBy(alert, now: now) != nil
            if muted { marked.suppressed += 1 } else { marked.active += 1 }
            guard !alert.isResolved(at: now) else { continue }
            let tenant = alert.labels[tenantLabel] ?? ""
            if muted {
                suppressed += 1
                perTenant[tenant, default: (0, 0)].suppressed += 1
            } else {
                active += 1
                perTenant[tenant, default: (0, 0)].active += 1
            }
        }
        activeAlerts.set(Double(active))
        suppressedAlerts.set(Double(suppressed))
        markedActive.set(Double(marked.active))
        markedSuppressed.set(Double(marked.suppressed))
        markedUnprocessed.set(to: 0)
        integrations.set(Double(engine.config.receivers.values.reduce(0) { $0 + $1.count }))
        let databaseSize = databaseFile.map(Self.fileSize) ?? 0
        nflogSnapshotSize.set(Double(databaseSize))
        silencesSnapshotSize.set(Double(databaseSize))

        unprocessedAlerts.set(to: 0)
        let counts = engine.silenceCounts(now: now)
        activeSilences.set(Double(counts.active))
        pendingSilences.set(Double(counts.pending))
        expiredSilences.set(Double(counts.expired))
        aggregationGroups.set(Double(engine.dispatcher.groupCount))
        // Every tenant with series is set, to 0 when it holds no alert now; tenants past the cap count as `other`.
        let (own, other) = tenants.withLock { ($0.own, $0.other) }
        var others = (active: 0, suppressed: 0)
        for (tenant, count) in perTenant where own[tenant] == nil {
            others.active += count.active
            others.suppressed += count.suppressed
        }
        for (tenant, series) in own {
            let count = perTenant[tenant] ?? (0, 0)
            series.activeAlerts.set(Double(count.active))
            series.suppressedAlerts.set(Double(count.suppressed))
        }
        if other != nil || others != (0, 0) {
            let series = tenants.withLock { otherSeries(&$0) }
            series.activeAlerts.set(Double(others.active))
            series.suppressedAlerts.set(Double(others.suppressed))
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
