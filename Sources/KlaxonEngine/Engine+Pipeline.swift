import Foundation
import KlaxonCore
import Logging

/// The notification pipeline (`notify.Pipeline`): inhibition, time intervals, silences, then per integration dedup
/// against the notification log, send with retries, and log.
extension Engine {
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
        let queried = ContinuousClock.now
        batch = silenceState.withLock { store in batch.filter { store.mutes($0.labels, now: now).isEmpty } }
        metrics.silences.queried(since: queried)
        if batch.isEmpty { return true }

        let notifiers = config.receivers[route.receiver] ?? []
        let deadline = now.addingTimeInterval(max(route.groupInterval.seconds, 10))
        let notification = GroupNotification(
            receiver: route.receiver, groupKey: group.groupKey, groupLabels: group.labels, alerts: batch, now: now,
            deadline: deadline)
        // The notification-log hashes depend only on the batch: computed once for every integration.
        let hashes = DedupDecision.hashes(of: batch, now: now)
        if holdsForDigest(notification, hashes: hashes, notifiers: notifiers, repeatInterval: route.repeatInterval) {
            return true
        }
        return await withTaskGroup(of: Bool.self) { tasks in
            for (index, notifier) in notifiers.enumerated() {
                tasks.addTask {  // allowed: structured child task of a task group
                    await self.deliver(
                        notification, hashes: hashes, notifier: notifier, index: index,
                        repeatInterval: route.repeatInterval, deadline: deadline)
                }
            }
            var allSucceeded = true
            for await succeeded in tasks where !succeeded { allSucceeded = false }
            return allSucceeded
        }
    }

    private func deliver(
        _ notification: GroupNotification, hashes: (firing: Set<UInt64>, resolved: Set<UInt64>), notifier: any Notifier,
        index: Int, repeatInterval: PromDuration, deadline: Date
    ) async -> Bool {
        let now = notification.now
        let key = ReceiverKey(groupName: notification.receiver, integration: notifier.integrationName, index: index)
        let (firing, resolved) = hashes
        guard
            needsDelivery(
                notification, hashes: hashes, notifier: notifier, index: index, repeatInterval: repeatInterval)
        else { return true }

        var toSend = notification
        if !notifier.sendResolved {
            toSend.alerts = notification.alerts.filter { !$0.isResolved(at: now) }
        }
        if !toSend.alerts.isEmpty {
            let integration = metrics.integration(notifier.integrationName)
            let sent = await send(toSend, notifier: notifier, metrics: integration, deadline: deadline)
            metrics.notified(receiver: notification.receiver, integration: integration, failed: sent != nil)
            if sent != nil { return false }
        }
        let written = nflogState.withLock {
            $0.log(
                groupKey: notification.groupKey, receiver: key, firing: firing, resolved: resolved, now: now,
                retention: options.retention, repeatInterval: repeatInterval)
        }
        if let written { await nflogWriter.write(written) }
        return true
    }

    /// Whether the notification log says this integration must be sent this batch (Alertmanager's dedup stage).
    func needsDelivery(
        _ notification: GroupNotification, hashes: (firing: Set<UInt64>, resolved: Set<UInt64>), notifier: any Notifier,
        index: Int, repeatInterval: PromDuration
    ) -> Bool {
        let key = ReceiverKey(groupName: notification.receiver, integration: notifier.integrationName, index: index)
        let queried = ContinuousClock.now
        let entry = nflogState.withLock { $0.query(groupKey: notification.groupKey, receiver: key) }
        metrics.nflog.queried(since: queried)
        return DedupDecision.needsUpdate(
            entry: entry, firing: hashes.firing, resolved: hashes.resolved, sendResolved: notifier.sendResolved,
            repeatInterval: repeatInterval, now: notification.now) != nil
    }

    /// Sends with Alertmanager's retry policy: first attempt at once, then exponential backoff
    /// (0.5s, x1.5, ±50% jitter, at most 60s) while the integration says the failure is retryable and
    /// the deadline has not passed. Returns nil on success, else the failure reason.
    func send(
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
