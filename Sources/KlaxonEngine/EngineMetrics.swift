import KlaxonCore
import Metrics
import Synchronization

/// The engine's metrics, under Alertmanager's names, made once: the pipeline's own series when the engine is
/// created, an integration's series the first time that integration notifies. Notifications only increment.
final class EngineMetrics: Sendable {
    /// One integration's series (`integration` label).
    final class Integration: Sendable {
        /// `alertmanager_notifications_total`: one per notification (after retries).
        let notifications: Counter
        /// `alertmanager_notification_requests_total`: one per attempt.
        let requests: Counter
        /// `alertmanager_notification_requests_failed_total`: one per failed attempt.
        let failedRequests: Counter
        /// `alertmanager_notification_latency_seconds`: per attempt.
        let latency: Timer
        /// `alertmanager_notifications_failed_total` by reason, made on the first failure with that reason so
        /// that `/metrics` shows only reasons that happened, as before.
        private let failures: Mutex<[NotifyFailureReason: Counter]>
        private let name: String
        private let factory: any MetricsFactory

        init(name: String, factory: any MetricsFactory) {
            let integration = [("integration", name)]
            self.name = name
            self.factory = factory
            notifications = Counter(
                label: "alertmanager_notifications_total", dimensions: integration, factory: factory)
            requests = Counter(
                label: "alertmanager_notification_requests_total", dimensions: integration, factory: factory)
            failedRequests = Counter(
                label: "alertmanager_notification_requests_failed_total", dimensions: integration, factory: factory)
            latency = Timer(
                label: "alertmanager_notification_latency_seconds", dimensions: integration, factory: factory)
            failures = Mutex([:])
        }

        /// `alertmanager_notifications_failed_total{integration, reason}`.
        func failed(_ reason: NotifyFailureReason) -> Counter {
            failures.withLock { failures in
                if let counter = failures[reason] { return counter }
                let counter = Counter(
                    label: "alertmanager_notifications_failed_total",
                    dimensions: [("integration", name), ("reason", reason.rawValue)], factory: factory)
                failures[reason] = counter
                return counter
            }
        }
    }

    /// `alertmanager_notifications_suppressed_total{reason="active_time_interval"}`.
    let suppressedOutsideActiveInterval: Counter
    /// `alertmanager_notifications_suppressed_total{reason="mute_time_interval"}`.
    let suppressedInMuteInterval: Counter
    private let factory: any MetricsFactory
    private let integrations = Mutex<[String: Integration]>([:])

    init(factory: any MetricsFactory) {
        self.factory = factory
        suppressedOutsideActiveInterval = Counter(
            label: "alertmanager_notifications_suppressed_total", dimensions: [("reason", "active_time_interval")],
            factory: factory)
        suppressedInMuteInterval = Counter(
            label: "alertmanager_notifications_suppressed_total", dimensions: [("reason", "mute_time_interval")],
            factory: factory)
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
