import Foundation
import KlaxonCore
import Logging
import Tracing

/// The notification pipeline (`notify.Pipeline`): inhibition, time intervals, silences, then per integration dedup
/// against the notification log, send with retries, and log.
extension Engine {
    /// Runs Alertmanager's pipeline for one flushed group: inhibition, active and mute time intervals,
    /// silences, then every integration of the receiver in parallel (dedup against the notification log,
    /// send with retries, log). Returns true when every branch succeeded or had nothing to do.
    public func notify(group: AggregationGroup, alerts flushed: [Alert], now: Date) async -> Bool {
        guard let tracing else { return await runPipeline(group: group, alerts: flushed, now: now, span: nil) }
        let span = tracing.startFlush(group, alerts: flushed)
        defer { span.end() }
        return await ServiceContext.withValue(span.context) {
            await runPipeline(group: group, alerts: flushed, now: now, span: span)
        }
    }

    /// The pipeline of ``notify(group:alerts:now:)``; `span` (the flush's, when tracing) gets what was suppressed.
    private func runPipeline(group: AggregationGroup, alerts flushed: [Alert], now: Date, span: (any Span)?) async
        -> Bool
    {
        let config = self.config
        let route = group.route
        let recording = historyRecorder.isEnabled
        let inhibited = inhibitorState.withLock { inhibitor in
            flushed.map { inhibitor.inhibitedBy($0.labels, fingerprint: $0.fingerprint, now: now) }
        }
        let uninhibited = inhibited.contains(nil)
        let suppression = route.timeIntervalSuppression(at: now, intervals: config.timeIntervals)
        // Silences are looked up for the alerts that can still go out, and for every alert when the timeline records
        // their marks: one lookup serves both.
        var silenced: [[String]] = Array(repeating: [], count: flushed.count)
        if recording || (uninhibited && suppression == nil) {
            let queried = ContinuousClock.now
            silenceState.withLock { store in
                for index in flushed.indices where recording || inhibited[index] == nil {
                    silenced[index] = store.mutes(flushed[index].labels, now: now)
                }
            }
            metrics.silences.queried(since: queried)
        }
        if recording {
            recordMarks(
                group: group, alerts: flushed, inhibited: inhibited, silenced: silenced, suppression: suppression,
                now: now)
        }
        if let span {
            span.attributes["suppressed.inhibited"] = inhibited.reduce(0) { $0 + ($1 == nil ? 0 : 1) }
            span.attributes["suppressed.silenced"] = silenced.reduce(0) { $0 + ($1.isEmpty ? 0 : 1) }
            switch suppression {
            case .outsideActiveTimeIntervals(let names): span.attributes["suppressed.outside_active_intervals"] = names
            case .muteTimeInterval(let name): span.attributes["suppressed.mute_time_interval"] = name
            case nil: break
            }
        }
        guard uninhibited else { return true }
        switch suppression {
        case .outsideActiveTimeIntervals:
            metrics.suppressedOutsideActiveInterval.increment()
            return true
        case .muteTimeInterval:
            metrics.suppressedInMuteInterval.increment()
            return true
        case nil:
            break
        }
        let batch = flushed.indices.filter { inhibited[$0] == nil && silenced[$0].isEmpty }.map { flushed[$0] }
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
        else {
            recordAttempt(
                notification, integration: notifier.integrationName, index: index, attempt: 0, outcome: .deduplicated,
                status: "", latency: nil)
            return true
        }

        var toSend = notification
        if !notifier.sendResolved {
            toSend.alerts = notification.alerts.filter { !$0.isResolved(at: now) }
        }
        if !toSend.alerts.isEmpty {
            let integration = metrics.integration(notifier.integrationName)
            let sent = await send(toSend, notifier: notifier, index: index, metrics: integration, deadline: deadline)
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
        _ notification: GroupNotification, notifier: any Notifier, index: Int, metrics: EngineMetrics.Integration,
        deadline: Date
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
            let attemptStarted = clock.now
            let result: NotifyResult
            if let tracing {
                let span = tracing.startAttempt(
                    integration: notifier.integrationName, index: index, attempt: attempt, notification: notification)
                result = await ServiceContext.withValue(span.context) { await notifier.notify(notification) }
                EngineTracing.endAttempt(span, result: result)
            } else {
                result = await notifier.notify(notification)
            }
            func record(_ outcome: HistoryEvent.Outcome, _ status: String, _ detail: String = "") {
                recordAttempt(
                    notification, integration: notifier.integrationName, index: index, attempt: attempt,
                    outcome: outcome, status: status, latency: max(clock.now.timeIntervalSince(attemptStarted), 0),
                    detail: detail)
            }
            metrics.requests.increment()
            if case .failed = result { metrics.failedRequests.increment() }
            metrics.latency.recordNanoseconds(Int64(max(clock.now.timeIntervalSince(started), 0) * 1e9))
            switch result {
            case .delivered(let status):
                logger.debug("Notify success", metadata: metadata.merging(["attempts": "\(attempt)"]) { $1 })
                record(.sent, status)
                return nil
            case .failed(let retry, let reason, let message):
                var failed = metadata
                failed["error"] = "\(message)"
                failed["attempts"] = "\(attempt)"
                if !retry {
                    logger.error("Notify retry canceled due to unrecoverable error", metadata: failed)
                    record(.gaveUp, reason.rawValue, message)
                    return reason
                }
                let jitter = Double.random(in: 0.5...1.5)
                let wait = min(interval * jitter, 60)
                interval = min(interval * 1.5, 60)
                if clock.now.addingTimeInterval(wait) >= deadline || Task.isCancelled {
                    logger.error("Notify retry canceled after attempts", metadata: failed)
                    record(.gaveUp, reason.rawValue, message)
                    return Task.isCancelled ? .contextCanceled : .contextDeadlineExceeded
                }
                logger.warning("Notify attempt failed, will retry later", metadata: failed)
                record(.failed, reason.rawValue, message)
                do { try await clock.sleep(for: .milliseconds(Int64(wait * 1000))) } catch { return .contextCanceled }
            }
        }
    }
}
