import Foundation
import Hummingbird
import HummingbirdTesting
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import Metrics
import NIOCore

@testable import KlaxonServer

/// An in-memory engine stand-in: alerts keyed by fingerprint (replace, no merge), every alert routes to
/// `receiversFor`, silences mute by label matching, no inhibition.
actor FakeBackend: APIBackend {
    var timeout = PromDuration.minutes(5)
    var stored: [Fingerprint: Alert] = [:]
    var posted: [[Alert]] = []
    var silenceStore: [String: GettableSilence] = [:]
    var groups: [AlertGroup] = []
    var receiverNames = ["web", "other"]
    var route = Route(root: RouteSpec(receiver: "web"))
    var configYAML = "route:\n  receiver: web\n"
    /// When set, the status shows it (masked, scoped to the caller) instead of `configYAML`.
    var config: Config?
    var reloadError: String?
    var reloads = 0
    var nextID = 0
    var receiversFor: @Sendable (LabelSet) -> [String] = { _ in ["web"] }

    func resolveTimeout() -> PromDuration { timeout }

    func postAlerts(_ alerts: [Alert]) {
        posted.append(alerts)
        for alert in alerts { stored[alert.fingerprint] = alert }
    }

    func view(_ alert: Alert, now: Date) -> GettableAlert {
        let silencedBy = silenceStore.values
            .filter {
                $0.state(now) == .active && $0.matchers.allSatisfy { $0.compiled?.matches(alert.labels) == true }
            }
            .map(\.id).sorted()
        return GettableAlert(
            alert: alert, receivers: receiversFor(alert.labels), state: silencedBy.isEmpty ? .active : .suppressed,
            silencedBy: silencedBy)
    }

    func alerts(_ query: AlertFilter, now: Date) -> [GettableAlert] {
        stored.values.filter { $0.endsAt >= now && query.matches(labels: $0.labels) }
            .map { view($0, now: now) }
            .filter { query.accepts($0) }
    }

    func alert(_ fingerprint: Fingerprint, now: Date) -> GettableAlert? {
        stored[fingerprint].map { view($0, now: now) }
    }

    func alertGroups(_ query: AlertFilter, now: Date) -> [AlertGroup] {
        groups.filter { query.matches(receiver: $0.receiver) }
            .map { group in
                // As the engine's: the receiver selects groups, not the alerts in them.
                var unfiltered = query
                unfiltered.receiver = nil
                var group = group
                group.alerts = group.alerts.filter(unfiltered.accepts)
                return group
            }
            .filter { !$0.alerts.isEmpty }
    }

    func setGroups(_ groups: [AlertGroup]) { self.groups = groups }
    /// Serves `config`: its receivers, routing tree and (masked, scoped) configuration in the status.
    func setConfig(_ config: Config) {
        receiverNames = config.receivers.map(\.name)
        route = config.routeTree
        self.config = config
    }

    func setReloadError(_ message: String?) { reloadError = message }
    func setTimeout(_ duration: PromDuration) { timeout = duration }

    func silences(now: Date) -> [GettableSilence] {
        silenceStore.values.map {
            var s = $0; s.state = s.state(now); return s
        }
    }

    func silence(id: String, now: Date) -> GettableSilence? {
        silenceStore[id].map {
            var s = $0; s.state = s.state(now); return s
        }
    }

    func addSilence(_ silence: GettableSilence) { silenceStore[silence.id] = silence }

    func setSilence(_ silence: SilenceRequest, now: Date) throws(SilenceAPIError) -> String {
        if let id = silence.id {
            guard var existing = silenceStore[id] else { throw .notFound }
            existing.comment = silence.comment
            existing.endsAt = silence.endsAt
            existing.updatedAt = now
            silenceStore[id] = existing
            return id
        }
        nextID += 1
        let id = String(format: "00000000-0000-4000-8000-%012d", nextID)
        silenceStore[id] = GettableSilence(
            id: id, state: .active, startsAt: max(silence.startsAt, now), endsAt: silence.endsAt, updatedAt: now,
            createdBy: silence.createdBy, comment: silence.comment,
            matchers: silence.matchers.map(SilenceMatcherSpec.init))
        return id
    }

    func expireSilence(id: String, now: Date) throws(SilenceAPIError) {
        guard var existing = silenceStore[id] else { throw .notFound }
        if existing.endsAt > now { existing.endsAt = now }
        existing.updatedAt = now
        silenceStore[id] = existing
    }

    func status(visibleTo scope: TenantScope, tenantLabel: String) -> AlertmanagerStatus {
        AlertmanagerStatus(
            configYAML: config?.maskedYAML(visibleTo: scope, tenantLabel: tenantLabel) ?? configYAML,
            uptime: Date(timeIntervalSince1970: 1_795_000_000.5),
            versionInfo: .init(
                branch: "main", buildDate: "20261122", buildUser: "klaxon", goVersion: "swift6", revision: "abc",
                version: "0.25.0"))
    }

    func receivers() -> [String] { receiverNames }

    func routeTree() -> Route { route }

    struct ReloadFailure: Error, CustomStringConvertible {
        let description: String
    }

    var auditTrail: [AuditEntry] = []
    var refusedAlerts: [Alert] = []
    var refusedSilenceTenants: [String] = []

    func alertsRefused(_ alerts: [Alert]) { refusedAlerts += alerts }

    func admit(
        _ alerts: [Alert], tenantLabel: String, limit: @escaping @Sendable (String) -> Int?, now: Date
    ) -> (admitted: [Alert], refused: [ActiveAlertLimit.Refusal]) {
        var counts = ActiveAlertLimit.counts(stored.values, tenantLabel: tenantLabel, now: now)
        return ActiveAlertLimit.admit(
            alerts, tenantLabel: tenantLabel, limit: limit, counts: &counts, now: now,
            isHeldFiring: { self.stored[$0.fingerprint].map { !$0.isResolved(at: now) } ?? false })
    }
    func silenceRefused(tenant: String) { refusedSilenceTenants.append(tenant) }

    func recordAudit(_ entry: AuditEntry) { auditTrail.append(entry) }

    var historyEvents: [HistoryEvent] = []

    func setHistory(_ events: [HistoryEvent]) { historyEvents = events }

    func history(_ query: HistoryQuery) -> [HistoryEvent] {
        Array(historyEvents.filter(query.matches).prefix(query.limit))
    }

    func explain(_ labels: LabelSet, at: Date, now: Date) -> Explanation {
        Explanation(
            labels: labels, at: at, now: now, route: route, timeIntervals: [:], inhibitor: Inhibitor(rules: []),
            silences: silenceStore.values.map {
                Silence(
                    id: $0.id, matchers: $0.matchers.compactMap(\.compiled), startsAt: $0.startsAt, endsAt: $0.endsAt,
                    updatedAt: $0.updatedAt, createdBy: $0.createdBy, comment: $0.comment)
            })
    }

    func audit(_ query: AuditQuery) -> [AuditEntry] {
        Array(auditTrail.reversed().filter(query.matches).prefix(query.limit))
    }

    var lastReloadResult: ConfigReloadResult?

    func setLastReload(_ result: ConfigReloadResult?) { lastReloadResult = result }

    func lastReload() -> ConfigReloadResult? { lastReloadResult }

    func reload(by principal: String, from remoteAddress: String) throws {
        reloads += 1
        if let reloadError { throw ReloadFailure(description: reloadError) }
    }
}

extension GettableSilence {
    func state(_ now: Date) -> SilenceState { SilenceState(startsAt: startsAt, endsAt: endsAt, now: now) }
}

extension SilenceMatcherSpec {
    /// The matcher the spec describes; nil for a regex that does not compile.
    var compiled: Matcher? { try? Matcher(type: type, name: name, value: value) }
}

/// The fixed clock of the tests: 2026-11-22T06:12:19.357Z.
let fixedNow = Date(timeIntervalSince1970: 1_795_327_939.357)

/// Runs `body` against the API router over the in-process test client.
func withAPI(
    _ backend: FakeBackend = FakeBackend(),
    prefix: String = "/",
    maxBodyBytes: Int = 32 << 20,
    metrics: any MetricsFactory = NOOPMetricsHandler.instance,
    _ body: @escaping @Sendable (any TestClientProtocol) async throws -> Void
) async throws {
    let router = buildAPIRouter(
        backend: backend, routePrefix: prefix, maxBodyBytes: maxBodyBytes, metricsFactory: metrics,
        now: { fixedNow })
    let app = Application(router: router)
    try await app.test(.router) { client in try await body(client) }
}

extension TestClientProtocol {
    /// POSTs a JSON body (Content-Type application/json unless `contentType` says otherwise).
    func post(_ uri: String, _ body: String, contentType: String? = "application/json") async throws -> TestResponse {
        var headers = HTTPFields()
        if let contentType { headers[.contentType] = contentType }
        return try await execute(uri: uri, method: .post, headers: headers, body: ByteBuffer(string: body))
    }

    func get(_ uri: String) async throws -> TestResponse {
        try await execute(uri: uri, method: .get)
    }
}

extension TestResponse {
    var text: String { String(buffer: body) }
}
