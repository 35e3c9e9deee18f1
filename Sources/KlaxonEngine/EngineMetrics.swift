import KlaxonCore
import Metrics
import Synchronization

/// The engine's metrics, under Alertmanager 0.25's names and labels, made once: the pipeline's and state's series,
/// and every integration Alertmanager registers at start, when the engine is created (so a dashboard or a "failed
/// to send" alert sees zeros before anything goes wrong); other integrations the first time they notify.
/// Notifications only increment.
public final class EngineMetrics: Sendable {
    /// The integrations Alertmanager 0.25 registers at start, at zero.
    public static let preregisteredIntegrations = [
        "email", "pagerduty", "wechat", "pushover", "slack", "opsgenie", "webhook", "victorops", "sns", "telegram",
    ]

    /// One integration's series (`integration` label).
    final class Integration: Sendable {
        /// The integration's name.
        let name: String
        /// `alertmanager_notifications_total`: one per notification (after retries).
        let notifications: Counter
        /// `alertmanager_notifications_failed_total`: one per notification that failed after its retries.
        let failed: Counter
        /// `alertmanager_notification_requests_total`: one per attempt.
        let requests: Counter
        /// `alertmanager_notification_requests_failed_total`: one per failed attempt.
        let failedRequests: Counter
        /// `alertmanager_notification_latency_seconds`: per attempt.
        let latency: Timer

        init(name: String, factory: any MetricsFactory) {
            let integration = [("integration", name)]
            self.name = name
            notifications = Counter(
                label: "alertmanager_notifications_total", dimensions: integration, factory: factory)
            failed = Counter(
                label: "alertmanager_notifications_failed_total", dimensions: integration, factory: factory)
            requests = Counter(
                label: "alertmanager_notification_requests_total", dimensions: integration, factory: factory)
            failedRequests = Counter(
                label: "alertmanager_notification_requests_failed_total", dimensions: integration, factory: factory)
            latency = Timer(
                label: "alertmanager_notification_latency_seconds", dimensions: integration, factory: factory)
        }
    }

    /// A state log's query and maintenance series: `alertmanager_<prefix>_*` (`nflog`, `silences`).
    public final class StateLog: Sendable {
        /// `_queries_total`.
        let queries: Counter
        /// `_query_errors_total` (Klaxon's queries are in memory and cannot fail; kept for dashboards).
        let queryErrors: Counter
        /// `_query_duration_seconds`.
        let queryDuration: Timer
        /// `_gossip_messages_propagated_total`: always 0, Klaxon does not gossip.
        let gossipPropagated: Counter
        /// `_gc_duration_seconds`: each garbage collection.
        public let gc: DurationSummary
        /// `_snapshot_duration_seconds`: each write of changes to the state store (Klaxon writes changes as they
        /// happen instead of periodic snapshots).
        public let snapshot: DurationSummary

        init(prefix: String, factory: any MetricsFactory) {
            let name = "alertmanager_\(prefix)_"
            queries = Counter(label: name + "queries_total", factory: factory)
            queryErrors = Counter(label: name + "query_errors_total", factory: factory)
            queryDuration = Timer(label: name + "query_duration_seconds", factory: factory)
            gossipPropagated = Counter(label: name + "gossip_messages_propagated_total", factory: factory)
            gc = DurationSummary(name: name + "gc_duration_seconds")
            snapshot = DurationSummary(name: name + "snapshot_duration_seconds")
        }

        /// Counts one query that started at `start`.
        func queried(since start: ContinuousClock.Instant) {
            queries.increment()
            queryDuration.recordNanoseconds(Int64((ContinuousClock.now - start).timeInterval * 1e9))
        }
    }

    /// `alertmanager_notifications_suppressed_total{reason="active_time_interval"}` (Alertmanager 0.26's).
    let suppressedOutsideActiveInterval: Counter
    /// `alertmanager_notifications_suppressed_total{reason="mute_time_interval"}` (Alertmanager 0.26's).
    let suppressedInMuteInterval: Counter
    /// `alertmanager_dispatcher_alert_processing_duration_seconds`: each received alert's store and routing.
    public let alertProcessing = DurationSummary(name: "alertmanager_dispatcher_alert_processing_duration_seconds")
    /// The notification log's series.
    public let nflog: StateLog
    /// The silences' series.
    public let silences: StateLog
    private let factory: any MetricsFactory
    private let integrations = Mutex<[String: Integration]>([:])
    /// `klaxon_notifications_total` and `klaxon_notifications_failed_total` by receiver and integration (bounded by
    /// the configured receivers): which receiver's notifications fail, which Alertmanager's families cannot say.
    private let receivers = Mutex<[ReceiverIntegration: (notifications: Counter, failed: Counter)]>([:])

    private struct ReceiverIntegration: Hashable {
        var receiver: String
        var integration: String
    }

    init(factory: any MetricsFactory) {
        self.factory = factory
        suppressedOutsideActiveInterval = Counter(
            label: "alertmanager_notifications_suppressed_total", dimensions: [("reason", "active_time_interval")],
            factory: factory)
        suppressedInMuteInterval = Counter(
            label: "alertmanager_notifications_suppressed_total", dimensions: [("reason", "mute_time_interval")],
            factory: factory)
        nflog = StateLog(prefix: "nflog", factory: factory)
        silences = StateLog(prefix: "silences", factory: factory)
        for name in Self.preregisteredIntegrations { _ = integration(name) }
    }

    /// The summaries, for the server to render at scrape time.
    public var summaries: [DurationSummary] {
        [alertProcessing, nflog.gc, nflog.snapshot, silences.gc, silences.snapshot]
    }

    /// Counts one notification (after its retries) of `receiver` through `integration`.
    func notified(receiver: String, integration: Integration, failed: Bool) {
        integration.notifications.increment()
        if failed { integration.failed.increment() }
        let series = receivers.withLock { receivers in
            let key = ReceiverIntegration(receiver: receiver, integration: integration.name)
            if let series = receivers[key] { return series }
            let labels = [("receiver", receiver), ("integration", integration.name)]
            let series = (
                notifications: Counter(label: "klaxon_notifications_total", dimensions: labels, factory: factory),
                failed: Counter(label: "klaxon_notifications_failed_total", dimensions: labels, factory: factory)
            )
            receivers[key] = series
            return series
        }
        series.notifications.increment()
        if failed { series.failed.increment() }
    }

    /// The series of one integration, made on first use.
    func integration(_ name: String) -> Integration {
        integrations.withLock { integrations in
            if let metrics = integrations[name] { return metrics }
            let metrics = Integration(name: name, factory: factory)
            integrations[name] = metrics
            return metrics
        }
    }
}
