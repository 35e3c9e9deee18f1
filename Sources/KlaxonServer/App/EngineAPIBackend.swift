import Foundation
import KlaxonAPIModels
import KlaxonConfig
import KlaxonCore
import KlaxonEngine
import Logging
import Synchronization

/// The API's view of the engine: status computed at request time from silences, inhibition and the
/// routing tree, as Alertmanager's v2 handlers compute it.
final class EngineAPIBackend: APIBackend {
    private let engine: Engine
    private let runtime: RuntimeConfig
    private let metrics: ServerMetrics
    private let startedAt: Date
    private let reloader: @Sendable (_ principal: String, _ remoteAddress: String) async throws -> Void
    private let auditStore: (any AuditStore)?
    private let logger: Logger
    /// This replica as a cluster peer (`--cluster.listen-address`); nil: clustering disabled.
    private let peer: AlertmanagerStatus.Peer?

    init(
        engine: Engine, runtime: RuntimeConfig, metrics: ServerMetrics, startedAt: Date,
        auditStore: (any AuditStore)? = nil, logger: Logger = Logger(label: "klaxon"),
        peer: AlertmanagerStatus.Peer? = nil,
        reload: @escaping @Sendable (_ principal: String, _ remoteAddress: String) async throws -> Void
    ) {
        self.auditStore = auditStore
        self.logger = logger
        self.engine = engine
        self.runtime = runtime
        self.metrics = metrics
        self.startedAt = startedAt
        self.reloader = reload
        self.peer = peer
    }

    func resolveTimeout() async -> PromDuration { engine.config.resolveTimeout }

    func postAlerts(_ alerts: [Alert]) async {
        engine.receive(alerts, now: engine.clock.now)
        metrics.received(alerts)
    }

    private func view(_ alert: Alert, route: Route, now: Date) -> GettableAlert {
        let receivers = route.match(alert.labels).map(\.receiver)
        let silencedBy = engine.silencedBy(alert.labels, now: now)
        let inhibitedBy = engine.inhibitedBy(alert, now: now).map { [$0.description] } ?? []
        let state: AlertState = silencedBy.isEmpty && inhibitedBy.isEmpty ? .active : .suppressed
        return GettableAlert(
            alert: alert, receivers: receivers, state: state, silencedBy: silencedBy, inhibitedBy: inhibitedBy)
    }

    func alerts(_ query: AlertFilter, now: Date) async -> [GettableAlert] {
        let route = engine.config.route
        var result: [GettableAlert] = []
        for alert in engine.alerts.all() where !(alert.endsAt != .zero && alert.endsAt < now) {
            guard query.matches(labels: alert.labels) else { continue }
            let view = view(alert, route: route, now: now)
            if query.accepts(view) { result.append(view) }
        }
        return result
    }

    func alert(_ fingerprint: Fingerprint, now: Date) async -> GettableAlert? {
        engine.alerts.get(fingerprint).map { view($0, route: engine.config.route, now: now) }
    }

    func alertGroups(_ query: AlertFilter, now: Date) async -> [AlertGroup] {
        // Tree order, so each alert's receiver list is stable (route position, then group labels).
        let groups = engine.dispatcher.groups().sorted {
            $0.route.path != $1.route.path
                ? $0.route.path.lexicographicallyPrecedes($1.route.path) : $0.labels.isBefore($1.labels)
        }
        let route = engine.config.route
        // Each alert lists every receiver whose groups hold its fingerprint.
        var receiversByFingerprint: [Fingerprint: [String]] = [:]
        for group in groups {
            for fingerprint in group.alerts.keys {
                receiversByFingerprint[fingerprint, default: []].append(group.route.receiver)
            }
        }
        var result: [AlertGroup] = []
        for group in groups where query.matches(receiver: group.route.receiver) {
            var views: [GettableAlert] = []
            for alert in group.alerts.values where !(alert.endsAt != .zero && alert.endsAt < now) {
                guard query.matches(labels: alert.labels) else { continue }
                var view = view(alert, route: route, now: now)
                view.receivers = receiversByFingerprint[alert.fingerprint] ?? [group.route.receiver]
                var unfiltered = query
                unfiltered.receiver = nil
                if unfiltered.accepts(view) { views.append(view) }
            }
            if !views.isEmpty {
                result.append(
                    AlertGroup(
                        labels: group.labels, receiver: group.route.receiver, alerts: views, groupKey: group.groupKey))
            }
        }
        return result
    }

    private func view(_ silence: Silence, now: Date) -> GettableSilence {
        GettableSilence(silence, now: now)
    }

    func silences(now: Date) async -> [GettableSilence] {
        engine.silences(filter: [], now: now).map { view($0, now: now) }
    }

    func silence(id: String, now: Date) async -> GettableSilence? {
        engine.silence(id: id).map { view($0, now: now) }
    }

    func setSilence(_ silence: SilenceRequest, now: Date) async throws(SilenceAPIError) -> String {
        let postable = KlaxonCore.PostableSilence(
            id: silence.id ?? "", matchers: silence.matchers.map(SilenceMatcherSpec.init), startsAt: silence.startsAt,
            endsAt: silence.endsAt, createdBy: silence.createdBy, comment: silence.comment)
        do {
            return try engine.setSilence(postable, now: now)
        } catch let error as SilenceError {
            throw error.isNotFound ? .notFound : .invalid(error.message)
        } catch {
            throw .invalid("\(error)")
        }
    }

    func expireSilence(id: String, now: Date) async throws(SilenceAPIError) {
        do {
            try engine.expireSilence(id: id, now: now)
        } catch let error as SilenceError {
            throw error.isNotFound ? .notFound : .invalid(error.message)
        } catch {
            throw .invalid("\(error)")
        }
    }

    func status(visibleTo scope: TenantScope, tenantLabel: String) async -> AlertmanagerStatus {
        AlertmanagerStatus(
            configYAML: runtime.current.maskedYAML(visibleTo: scope, tenantLabel: tenantLabel), uptime: startedAt,
            versionInfo: AlertmanagerStatus.VersionInfo(
                branch: KlaxonVersion.branch, buildDate: KlaxonVersion.buildDate, buildUser: "klaxon",
                goVersion: KlaxonVersion.swift, revision: "klaxon-\(KlaxonVersion.version)-\(KlaxonVersion.revision)",
                version: KlaxonVersion.alertmanagerCompatible),
            clusterName: peer?.name ?? "", clusterStatus: peer == nil ? "disabled" : "ready",
            peers: peer.map { [$0] } ?? [])
    }

    func receivers() async -> [String] { runtime.current.receivers.map(\.name) }

    func routeTree() async -> Route { runtime.current.routeTree }

    func reload(by principal: String, from remoteAddress: String) async throws {
        try await reloader(principal, remoteAddress)
    }

    func lastReload() async -> ConfigReloadResult? { runtime.lastReload }

    /// Active alerts per tenant, recounted from the store at most once a second (an O(alerts) scan) and kept up to
    /// date in between with the new alerts admitted; only used when a tenant has `max_active_alerts`.
    private let activeCounts = Mutex<(takenAt: Date, tenantLabel: String, counts: [String: Int])?>(nil)

    func admit(
        _ alerts: [Alert], tenantLabel: String, limit: @escaping @Sendable (String) -> Int?, now: Date
    ) async -> (admitted: [Alert], refused: [ActiveAlertLimit.Refusal]) {
        let store = engine.alerts
        return activeCounts.withLock { snapshot in
            if snapshot == nil || snapshot?.tenantLabel != tenantLabel
                || now.timeIntervalSince(snapshot?.takenAt ?? .distantPast) >= 1
            {
                let counts = ActiveAlertLimit.counts(store.all(), tenantLabel: tenantLabel, now: now)
                snapshot = (now, tenantLabel, counts)
            }
            var counts = snapshot?.counts ?? [:]
            let result = ActiveAlertLimit.admit(
                alerts, tenantLabel: tenantLabel, limit: limit, counts: &counts, now: now,
                isHeldFiring: { store.get($0.fingerprint).map { !$0.isResolved(at: now) } ?? false })
            snapshot?.counts = counts
            return result
        }
    }

    func explain(_ labels: LabelSet, at: Date, now: Date) async -> Explanation {
        engine.explain(labels, at: at, now: now)
    }

    func history(_ query: HistoryQuery) async throws -> [HistoryEvent] { try engine.history(query) }

    func alertsRefused(_ alerts: [Alert]) async { metrics.refused(alerts) }

    func silenceRefused(tenant: String) async { metrics.silenceRefused(tenant: tenant) }

    func recordAudit(_ entry: AuditEntry) async {
        do {
            try auditStore?.appendAudit(entry)
        } catch {
            logger.error(
                "Recording an audit entry failed",
                metadata: ["kind": "\(entry.kind.rawValue)", "object": "\(entry.object)", "err": "\(error)"])
        }
    }

    func audit(_ query: AuditQuery) async throws -> [AuditEntry] { try auditStore?.audit(query) ?? [] }
}

/// The configuration in force, swapped on reload, and how the last load ended.
final class RuntimeConfig: Sendable {
    private let state: Mutex<(config: Config, lastReload: ConfigReloadResult)>

    /// The configuration loaded at start, at `loadedAt`.
    init(_ config: Config, loadedAt: Date = Date()) {
        state = Mutex((config, ConfigReloadResult(time: loadedAt, succeeded: true, appliedAt: loadedAt)))
    }

    var current: Config { state.withLock { $0.config } }

    /// The outcome of the last load (at start or on a reload).
    var lastReload: ConfigReloadResult { state.withLock { $0.lastReload } }

    /// A reloaded configuration goes into force.
    func replace(_ config: Config, at time: Date = Date()) {
        state.withLock { $0 = (config, ConfigReloadResult(time: time, succeeded: true, appliedAt: time)) }
    }

    /// A reload was rejected: the configuration in force stays.
    func reloadFailed(_ error: String, at time: Date) {
        state.withLock {
            $0.lastReload = ConfigReloadResult(
                time: time, succeeded: false, error: error, appliedAt: $0.lastReload.appliedAt)
        }
    }
}
