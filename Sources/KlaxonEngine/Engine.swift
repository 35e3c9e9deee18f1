import Foundation
import KlaxonCore
import Logging
import Metrics
import ServiceLifecycle
import Synchronization
import Tracing

/// Klaxon's engine: the alert store, silences, inhibition, the notification log and the dispatcher,
/// wired as Alertmanager wires them. Thread-safe; the HTTP layer calls it concurrently.
///
/// Its loops are `services` for the app's service group (the notification-log writer, garbage collection, the
/// dispatchers); every time they read or wait for comes from `clock`. This file holds the state, ingest and reload;
/// `Engine+Silences`, `Engine+Pipeline` and `Engine+Maintenance` the rest.
public final class Engine: Sendable {
    /// The global alert store.
    public let alerts: AlertStore
    /// The one clock of the engine: flush timers, retries, garbage collection and the API's "now".
    public let clock: any EngineClock
    let silenceState: Mutex<SilenceStore>
    /// Orders silence writers: held from a change until it is persisted, so the store gets a silence's versions in
    /// the order memory had them. Readers only take `silenceState`.
    let silenceWrites = Mutex(())
    let inhibitorState: Mutex<Inhibitor>
    let nflogState: Mutex<NotificationLog>
    private let current: Mutex<(config: EngineConfig, dispatcher: Dispatcher)>
    let stateStore: any StateStore
    let nflogWriter: NotificationLogWriter
    /// The timeline's buffer and writer.
    public let historyRecorder: HistoryRecorder
    let historyStore: (any HistoryStore)?
    let historyMarks = Mutex(HistoryMarks())
    let options: EngineOptions
    let logger: Logger
    /// Alertmanager's engine metrics; the server renders the summaries among them at scrape time.
    public let metrics: EngineMetrics
    /// Per-tenant notification limits (the access file's `max_notifications_per_minute`); nil: none.
    let tenantPolicy: TenantNotificationPolicy?
    let digestState = Mutex(DigestState())
    /// Spans of dispatch, flushes and notification attempts; nil (no `tracing` section): none are made.
    let tracing: EngineTracing?
    private let dispatcherRuns: AsyncStream<Dispatcher>
    private let dispatcherRunsContinuation: AsyncStream<Dispatcher>.Continuation

    /// Creates the engine and loads persisted silences and notification-log entries.
    /// - Parameters:
    ///   - clock: what every timer, retry and maintenance loop reads and sleeps on (tests pass a manual clock).
    ///   - metricsFactory: where the notification metrics go; they are made here, once.
    ///   - tenantPolicy: per-tenant notification limits; past one, a tenant's notifications to a receiver are
    ///     coalesced into one digest a minute.
    ///   - tracing: where the engine's spans go; nil makes none.
    public init(
        config: EngineConfig,
        options: EngineOptions,
        stateStore: any StateStore,
        logger: Logger,
        clock: any EngineClock = SystemEngineClock(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory,
        tenantPolicy: TenantNotificationPolicy? = nil,
        tracing: EngineTracing? = nil
    ) throws {
        self.tenantPolicy = tenantPolicy
        self.tracing = tracing
        self.alerts = AlertStore()
        self.clock = clock
        self.options = options
        self.stateStore = stateStore
        historyStore = options.historyMaxEvents > 0 ? stateStore as? any HistoryStore : nil
        historyRecorder = HistoryRecorder(store: historyStore, clock: clock, logger: logger)
        self.logger = logger
        self.metrics = EngineMetrics(factory: metricsFactory)
        self.nflogWriter = NotificationLogWriter(store: stateStore, logger: logger, commits: metrics.nflog.snapshot)
        let now = clock.now
        var silences = SilenceStore()
        for silence in try stateStore.loadSilences() {
            _ = silences.merge(silence, now: now, retention: options.retention)
        }
        _ = silences.takeChanges()
        var nflog = NotificationLog()
        let loaded = try stateStore.loadNotificationLog()
        nflog.reserveCapacity(loaded.count)
        for entry in loaded { nflog.merge(entry, now: now) }
        silenceState = Mutex(silences)
        nflogState = Mutex(nflog)
        inhibitorState = Mutex(Inhibitor(rules: config.inhibitRules))
        (dispatcherRuns, dispatcherRunsContinuation) = AsyncStream.makeStream(of: Dispatcher.self)
        // The real dispatcher's flush handler needs `self`; start with a placeholder that is stopped at once.
        let placeholder = Dispatcher(route: config.route, logger: logger, clock: clock, flush: { _, _, _ in true })
        placeholder.stop()
        current = Mutex((config, placeholder))
        let dispatcher = makeDispatcher(route: config.route)
        current.withLock { $0.dispatcher = dispatcher }
        dispatcherRunsContinuation.yield(dispatcher)
    }

    private func makeDispatcher(route: Route) -> Dispatcher {
        Dispatcher(route: route, logger: logger, clock: clock) { [weak self] group, alerts, now in
            guard let self else { return false }
            return await self.notify(group: group, alerts: alerts, now: now)
        }
    }

    /// The configuration in force.
    public var config: EngineConfig { current.withLock { $0.config } }

    /// The dispatcher in force.
    public var dispatcher: Dispatcher { current.withLock { $0.dispatcher } }

    // MARK: Ingest

    /// Takes alerts that the API has defaulted and validated: stores them (merging repeats), updates the
    /// inhibition sources and routes them into aggregation groups.
    public func receive(_ incoming: [Alert], now: Date) {
        let (dispatcher, rules) = current.withLock { ($0.dispatcher, $0.config.inhibitRules) }
        let started = ContinuousClock.now
        defer {
            metrics.alertProcessing.observe(
                seconds: (ContinuousClock.now - started).timeInterval, count: UInt64(incoming.count))
        }
        let recording = historyRecorder.isEnabled
        var changes: [HistoryBatch.AlertChange] = []
        if recording { changes.reserveCapacity(incoming.count) }
        defer { historyRecorder.record(changes: changes) }
        for alert in incoming {
            let (stored, previous, fingerprint) = alerts.update(alert, now: now)
            if recording,
                let change = ingestChange(previous: previous, stored: stored, fingerprint: fingerprint, now: now)
            {
                if change.kind == .firing, previous != nil { forgetExpiry(fingerprint) }
                changes.append(change)
            }
            if rules.contains(where: { $0.sourceMatchers.matches(stored.labels) }) {
                inhibitorState.withLock { $0.observe(stored) }
            }
            if let tracing {
                let span = tracing.startDispatch(stored)
                var routes: [String] = []
                var groupKeys: [String] = []
                dispatcher.process(stored, now: now) { route, groupLabels in
                    routes.append(route.key)
                    groupKeys.append(route.groupKey(groupLabels: groupLabels))
                }
                if routes.count == 1 {
                    span.attributes["route"] = routes[0]
                    span.attributes["group_key"] = groupKeys[0]
                } else {
                    span.attributes["route"] = routes
                    span.attributes["group_key"] = groupKeys
                }
                span.end()
            } else {
                dispatcher.process(stored, now: now)
            }
        }
    }

    // MARK: Status at read time

    /// Silence IDs muting these labels now (active silences only).
    public func silencedBy(_ labels: LabelSet, now: Date) -> [String] {
        silenceState.withLock { $0.mutes(labels, now: now) }
    }

    /// The source alert inhibiting this alert now, if any.
    public func inhibitedBy(_ alert: Alert, now: Date) -> Fingerprint? {
        inhibitorState.withLock { $0.inhibitedBy(alert.labels, fingerprint: alert.fingerprint, now: now) }
    }

    // MARK: Reload

    /// Swaps in a new configuration as Alertmanager's reload does: a new dispatcher with fresh groups, every stored
    /// alert re-routed (so alerts older than `group_wait` flush at once, and the notification log keeps unchanged
    /// groups from being notified again), new inhibition rules.
    public func apply(_ config: EngineConfig) {
        let now = clock.now
        let dispatcher = makeDispatcher(route: config.route)
        var inhibitor = Inhibitor(rules: config.inhibitRules)
        let all = alerts.all()
        for alert in all where config.inhibitRules.contains(where: { $0.sourceMatchers.matches(alert.labels) }) {
            inhibitor.observe(alert)
        }
        inhibitorState.withLock { $0 = inhibitor }
        let old = current.withLock { state -> Dispatcher in
            let old = state.dispatcher
            state = (config, dispatcher)
            return old
        }
        old.stop()
        dispatcherRunsContinuation.yield(dispatcher)
        historyRecorder.record(
            HistoryEvent(time: now, kind: .reload, status: "applied", detail: "configuration applied"))
        for alert in all {
            dispatcher.process(alert, now: now)
        }
    }

    // MARK: Services

    /// The engine's services in start order, for the app's service group, where they go before the HTTP server:
    /// graceful shutdown runs in reverse, so dispatching stops (in-flight flushes finish) before garbage collection,
    /// and the notification-log writer and then the history recorder commit what is queued last. Run them once.
    public var services: [any Service] {
        var services: [any Service] = [
            historyRecorder, nflogWriter, EngineMaintenance(engine: self, options: options),
            DispatchService(engine: self),
        ]
        if tenantPolicy != nil { services.append(DigestService(engine: self)) }
        return services
    }

    /// Runs the dispatchers (the current one and each one a reload swaps in) until `stopDispatching()`.
    func runDispatchers() async {
        await withDiscardingTaskGroup { group in
            for await dispatcher in dispatcherRuns {
                group.addTask { await dispatcher.run() }  // allowed: structured child task of a task group
            }
        }
    }

    /// Stops dispatching: `runDispatchers()` returns once in-flight flushes end.
    func stopDispatching() {
        dispatcherRunsContinuation.finish()
        current.withLock { $0.dispatcher }.stop()
    }
}
