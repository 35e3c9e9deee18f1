import Foundation
import KlaxonCore
import Logging
import Metrics
import ServiceLifecycle
import Synchronization

/// Klaxon's engine: the alert store, silences, inhibition, the notification log and the dispatcher,
/// wired as Alertmanager wires them. Thread-safe; the HTTP layer calls it concurrently.
///
/// Its loops are `services` for the app's service group; every time they read or wait for comes from `clock`.
public final class Engine: Sendable {
    /// The global alert store.
    public let alerts: AlertStore
    /// The one clock of the engine: flush timers, retries, garbage collection and the API's "now".
    public let clock: any EngineClock
    private let silenceState: Mutex<SilenceStore>
    /// Orders silence writers: held from a change until it is persisted, so the store gets a silence's versions in
    /// the order memory had them. Readers only take `silenceState`.
    private let silenceWrites = Mutex(())
    private let inhibitorState: Mutex<Inhibitor>
    private let nflogState: Mutex<NotificationLog>
    private let current: Mutex<(config: EngineConfig, dispatcher: Dispatcher)>
    private let stateStore: any StateStore
    private let nflogWriter: NotificationLogWriter
    private let options: EngineOptions
    private let logger: Logger
    private let metrics: EngineMetrics
    private let dispatcherRuns: AsyncStream<Dispatcher>
    private let dispatcherRunsContinuation: AsyncStream<Dispatcher>.Continuation

    /// Creates the engine and loads persisted silences and notification-log entries.
    /// - Parameters:
    ///   - clock: what every timer, retry and maintenance loop reads and sleeps on (tests pass a manual clock).
    ///   - metricsFactory: where the notification metrics go; they are made here, once.
    public init(
        config: EngineConfig,
        options: EngineOptions,
        stateStore: any StateStore,
        logger: Logger,
        clock: any EngineClock = SystemEngineClock(),
        metricsFactory: any MetricsFactory = MetricsSystem.factory
    ) throws {
        self.alerts = AlertStore()
        self.clock = clock
        self.options = options
        self.stateStore = stateStore
        self.nflogWriter = NotificationLogWriter(store: stateStore, logger: logger)
        self.logger = logger
        self.metrics = EngineMetrics(factory: metricsFactory)
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
        for alert in incoming {
            let stored = alerts.put(alert, now: now)
            if rules.contains(where: { $0.sourceMatchers.matches(stored.labels) }) {
                inhibitorState.withLock { $0.observe(stored) }
            }
            dispatcher.process(stored, now: now)
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

    // MARK: Silences

    /// Creates or updates a silence (Alertmanager's rules decide which), persists it and returns its id.
    public func setSilence(_ postable: PostableSilence, now: Date) throws -> String {
        let result = try silenceWrites.withLock { _ in
            let (result, changes) = try silenceState.withLock { store throws(SilenceError) in
                let result = try store.set(postable, now: now, newID: { UUID().uuidString.lowercased() })
                return (result, store.takeChanges())
            }
            try persist(changes)
            return result
        }
        logger.info(
            "Silence set", metadata: ["silence.id": .string(result.id), "silence.matchers": "\(postable.matchers)"])
        return result.id
    }

    /// Expires a silence now.
    public func expireSilence(id: String, now: Date) throws {
        try silenceWrites.withLock { _ in
            let changes = try silenceState.withLock { store throws(SilenceError) in
                _ = try store.expire(id: id, now: now)
                return store.takeChanges()
            }
            try persist(changes)
        }
    }

    /// A silence by id.
    public func silence(id: String) -> Silence? {
        silenceState.withLock { $0.get(id: id) }
    }

    /// Silences matching a verbatim filter, sorted as Alertmanager sorts them.
    public func silences(filter: [Matcher], now: Date) -> [Silence] {
        silenceState.withLock { $0.query(filter: filter, now: now) }
    }

    /// Silence counts per state.
    public func silenceCounts(now: Date) -> SilenceCounts {
        silenceState.withLock { $0.counts(at: now) }
    }

    private func persist(_ changes: SilenceChanges) throws {
        guard !changes.isEmpty else { return }
        try stateStore.saveSilences(changes.written, removing: changes.removed)
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
        for alert in all {
            dispatcher.process(alert, now: now)
        }
    }

    // MARK: Services

    /// The engine's services in start order, for the app's service group, where they go before the HTTP server:
    /// graceful shutdown runs in reverse, so dispatching stops (in-flight flushes finish) before garbage collection,
    /// and the notification-log writer commits what is queued last.
    public var services: [any Service] {
        [nflogWriter, EngineMaintenance(engine: self, options: options), DispatchService(engine: self)]
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

    /// Deletes resolved alerts from the store (Alertmanager's alert GC) and forgets them as inhibition sources.
    func collectAlerts(now: Date) {
        let removed = alerts.collectGarbage(now: now)
        if !removed.isEmpty {
            inhibitorState.withLock { inhibitor in
                for alert in removed { inhibitor.remove(fingerprint: alert.fingerprint) }
            }
        }
    }

    /// Drops expired silences and notification-log entries past retention, in memory and on disk.
    public func collectState(now: Date) {
        let changes = silenceState.withLock { store -> SilenceChanges in
            _ = store.gc(now: now, retention: options.retention)
            return store.takeChanges()
        }
        let removedKeys = nflogState.withLock { $0.gc(now: now) }
        _ = inhibitorState.withLock { $0.gc(now: now) }
        do {
            try persist(changes)
            if !removedKeys.isEmpty { try stateStore.saveNotificationLog([], removing: removedKeys) }
        } catch {
            logger.error("State maintenance failed", metadata: ["error": "\(error)"])
        }
    }

    // MARK: Notification pipeline

    /// Runs Alertmanager's pipeline for one flushed group: inhibition, active and mute time intervals,
    /// silences, then every integration of the receiver in parallel (dedup against the notification log,
    /// send with retries, log). Returns true when every branch succeeded or had nothing to do.
    public func notify(group: AggregationGroup, alerts flushed: [Alert], now: Date) async -> Bool {
        let config = self.config
        let route = group.route
        var batch = inhibitorState.withLock { inhibitor in
            flushed.filter { inhibitor.inhibitedBy($0.labels, fingerprint: $0.fingerprint, now: now) == nil }
        }
        if batch.isEmpty { return true }
        if !route.activeTimeIntervals.isEmpty,
            !route.activeTimeIntervals.contains(where: { config.timeIntervals[$0]?.contains(now) == true })
        {
            metrics.suppressedOutsideActiveInterval.increment()
            return true
        }
        if route.muteTimeIntervals.contains(where: { config.timeIntervals[$0]?.contains(now) == true }) {
            metrics.suppressedInMuteInterval.increment()
            return true
        }
        batch = silenceState.withLock { store in batch.filter { store.mutes($0.labels, now: now).isEmpty } }
        if batch.isEmpty { return true }

        let notifiers = config.receivers[route.receiver] ?? []
        let deadline = now.addingTimeInterval(max(route.groupInterval.seconds, 10))
        let notification = GroupNotification(
            receiver: route.receiver, groupKey: group.groupKey, groupLabels: group.labels, alerts: batch, now: now,
            deadline: deadline)
        return await withTaskGroup(of: Bool.self) { tasks in
            for (index, notifier) in notifiers.enumerated() {
                tasks.addTask {  // allowed: structured child task of a task group
                    await self.deliver(
                        notification, notifier: notifier, index: index, repeatInterval: route.repeatInterval,
                        deadline: deadline)
                }
            }
            var allSucceeded = true
            for await succeeded in tasks where !succeeded { allSucceeded = false }
            return allSucceeded
        }
    }

    private func deliver(
        _ notification: GroupNotification, notifier: any Notifier, index: Int, repeatInterval: PromDuration,
        deadline: Date
    ) async -> Bool {
        let now = notification.now
        let key = ReceiverKey(groupName: notification.receiver, integration: notifier.integrationName, index: index)
        let (firing, resolved) = DedupDecision.hashes(of: notification.alerts, now: now)
        let entry = nflogState.withLock { $0.query(groupKey: notification.groupKey, receiver: key) }
        guard
            DedupDecision.needsUpdate(
                entry: entry, firing: firing, resolved: resolved, sendResolved: notifier.sendResolved,
                repeatInterval: repeatInterval, now: now) != nil
        else { return true }

        var toSend = notification
        if !notifier.sendResolved {
            toSend.alerts = notification.alerts.filter { !$0.isResolved(at: now) }
        }
        if !toSend.alerts.isEmpty {
            let integration = metrics.integration(notifier.integrationName)
            let sent = await send(toSend, notifier: notifier, metrics: integration, deadline: deadline)
            integration.notifications.increment()
            if let failure = sent {
                integration.failed(failure).increment()
                return false
            }
        }
        let written = nflogState.withLock {
            $0.log(
                groupKey: notification.groupKey, receiver: key, firing: firing, resolved: resolved, now: now,
                retention: options.retention, repeatInterval: repeatInterval)
        }
        if let written { await nflogWriter.write(written) }
        return true
    }

    /// Sends with Alertmanager's retry policy: first attempt at once, then exponential backoff
    /// (0.5s, x1.5, ±50% jitter, at most 60s) while the integration says the failure is retryable and
    /// the deadline has not passed. Returns nil on success, else the failure reason.
    private func send(
        _ notification: GroupNotification, notifier: any Notifier, metrics: EngineMetrics.Integration, deadline: Date
    ) async -> NotifyFailureReason? {
        var interval = 0.5
        var attempt = 0
        let started = clock.now
        let metadata: Logger.Metadata = [
            "receiver.name": "\(notification.receiver)", "integration.name": "\(notifier.integrationName)",
            "group.key": "\(notification.groupKey)",
        ]
        while true {
            attempt += 1
            let result = await notifier.notify(notification)
            metrics.requests.increment()
            if case .failed = result { metrics.failedRequests.increment() }
            metrics.latency.recordNanoseconds(Int64(max(clock.now.timeIntervalSince(started), 0) * 1e9))
            switch result {
            case .delivered:
                logger.debug("Notify success", metadata: metadata.merging(["attempts": "\(attempt)"]) { $1 })
                return nil
            case .failed(let retry, let reason, let message):
                var failed = metadata
                failed["error"] = "\(message)"
                failed["attempts"] = "\(attempt)"
                if !retry {
                    logger.error("Notify retry canceled due to unrecoverable error", metadata: failed)
                    return reason
                }
                let jitter = Double.random(in: 0.5...1.5)
                let wait = min(interval * jitter, 60)
                interval = min(interval * 1.5, 60)
                if clock.now.addingTimeInterval(wait) >= deadline || Task.isCancelled {
                    logger.error("Notify retry canceled after attempts", metadata: failed)
                    return Task.isCancelled ? .contextCanceled : .contextDeadlineExceeded
                }
                logger.warning("Notify attempt failed, will retry later", metadata: failed)
                do { try await clock.sleep(for: .milliseconds(Int64(wait * 1000))) } catch { return .contextCanceled }
            }
        }
    }
}
