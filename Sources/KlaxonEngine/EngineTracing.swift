import KlaxonCore
import Tracing

/// The engine's spans when the configuration has a `tracing` section: one per alert dispatched (child of the ingest
/// request's span), one per group flush (a new trace) and one per notification attempt (child of the flush), in
/// whose context the integration's outbound HTTP request runs. Without a section the engine has none of this: every
/// site checks for nil first and makes no span, context or attribute.
///
/// Span attributes use Alertmanager's nouns: `route`, `group_key`, `receiver`, `integration`, and the alert's tenant
/// as `tenant_id` (the value of `tenantLabel`).
public struct EngineTracing: Sendable {
    /// Where spans are made (swift-otel's tracer in the server; an in-memory one in tests).
    public let tracer: any Tracer
    /// `--tenant.label`: the label whose value is an alert's `tenant_id`.
    public let tenantLabel: String

    /// Traces the engine with `tracer`.
    public init(tracer: any Tracer, tenantLabel: String) {
        self.tracer = tracer
        self.tenantLabel = tenantLabel
    }

    /// The tenants of these label sets, sorted and without repeats (empty when none carries the label).
    func tenants<S: Sequence>(of labelSets: S) -> [String] where S.Element == LabelSet {
        var seen = Set<String>()
        for labels in labelSets {
            if let tenant = labels[tenantLabel], !tenant.isEmpty { seen.insert(tenant) }
        }
        return seen.sorted()
    }

    /// Starts the span of one alert's way into its groups, under the current context (the ingest request's span).
    func startDispatch(_ alert: Alert) -> any Span {
        let span = tracer.startSpan("dispatch", context: ServiceContext.current ?? .topLevel)
        span.attributes["alert.fingerprint"] = alert.fingerprint.description
        span.attributes["alert.name"] = alert.labels["alertname"] ?? ""
        if let tenant = alert.labels[tenantLabel], !tenant.isEmpty { span.attributes["tenant_id"] = tenant }
        return span
    }

    /// Starts a flush's span: a new trace (a flush follows timers, not a request).
    func startFlush(_ group: AggregationGroup, alerts: [Alert]) -> any Span {
        let span = tracer.startSpan("flush", context: .topLevel)
        span.attributes["group_key"] = group.groupKey
        span.attributes["receiver"] = group.route.receiver
        span.attributes["route"] = group.route.key
        span.attributes["alerts"] = alerts.count
        let tenants = tenants(of: alerts.lazy.map(\.labels))
        if tenants.count == 1 {
            span.attributes["tenant_id"] = tenants[0]
        } else if !tenants.isEmpty {
            span.attributes["tenant_id"] = tenants
        }
        return span
    }

    /// Starts one notification attempt's span under the current context (the flush).
    func startAttempt(
        integration: String, index: Int, attempt: Int, notification: GroupNotification
    ) -> any Span {
        let span = tracer.startSpan("notify \(integration)", context: ServiceContext.current ?? .topLevel)
        span.attributes["integration"] = integration
        span.attributes["integration.index"] = index
        span.attributes["attempt"] = attempt
        span.attributes["receiver"] = notification.receiver
        span.attributes["group_key"] = notification.groupKey
        span.attributes["alerts"] = notification.alerts.count
        return span
    }

    /// Ends an attempt's span with its outcome: `status` is the receiving end's answer or the failure reason.
    static func endAttempt(_ span: any Span, result: NotifyResult) {
        switch result {
        case .delivered(let status):
            span.attributes["status"] = status
        case .failed(let retry, let reason, let message):
            span.attributes["status"] = reason.rawValue
            span.attributes["retry"] = retry
            span.setStatus(SpanStatus(code: .error, message: message))
        }
        span.end()
    }
}
