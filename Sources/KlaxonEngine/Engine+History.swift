import Foundation
import KlaxonCore

/// What the timeline last recorded of an alert's marks and a group's time-interval state, so that only
/// transitions become events.
struct HistoryMarks: Sendable {
    struct AlertMarks: Sendable, Hashable {
        var inhibitedBy: Fingerprint?
        var silencedBy: [String] = []
    }

    var alerts: [Fingerprint: AlertMarks] = [:]
    /// Group keys whose last flush was held back by a time interval.
    var mutedGroups: Set<String> = []
    /// Alerts whose `endsAt` passed without a resolving post, recorded `resolved` at a flush (once).
    var expired: Set<Fingerprint> = []
}

/// The timeline (`HistoryEvent`s): what the engine records where things happen, and the read and prune side.
/// Recording appends to the recorder's buffer; the recorder's service commits.
extension Engine {
    /// Alert state changes at ingest: first seen firing (or firing again after resolving), and resolved; nil when
    /// the alert stays as it was. `receive` queues a request's events in one go.
    func ingestChange(previous: Alert?, stored: Alert, fingerprint: Fingerprint, now: Date) -> HistoryBatch.AlertChange?
    {
        let wasFiring = previous.map { !$0.isResolved(at: now) } ?? false
        let isFiring = !stored.isResolved(at: now)
        guard wasFiring != isFiring, isFiring || previous != nil else { return nil }
        return HistoryBatch.AlertChange(
            time: now, kind: isFiring ? .firing : .resolved, labels: stored.labels, fingerprint: fingerprint)
    }

    /// At a group's flush: inhibition and silence transitions of its alerts and whether the group's route is held
    /// back by a time interval, from what the pipeline computed for the flush (per alert: its inhibiting source and
    /// the silences muting it).
    func recordMarks(
        group: AggregationGroup, alerts flushed: [Alert], inhibited: [Fingerprint?], silenced: [[String]],
        suppression: TimeIntervalSuppression?, now: Date
    ) {
        var events: [HistoryEvent] = []
        historyMarks.withLock { marks in
            for (index, alert) in flushed.enumerated() {
                // Firing at its last post, resolved now: its end time (or resolve_timeout) passed with no resolving
                // post, which ingest cannot see.
                if alert.endsAt > alert.updatedAt, alert.isResolved(at: now),
                    marks.expired.insert(alert.fingerprint).inserted
                {
                    let cause = alert.timeout ? "resolve_timeout" : "endsAt"
                    events.append(
                        HistoryEvent(
                            time: now, kind: .resolved, labels: alert.labels, fingerprints: [alert.fingerprint],
                            receiver: group.route.receiver, groupKey: group.groupKey,
                            detail: "no resolving post: \(cause) passed at \(alert.endsAt)"))
                }
                let before = marks.alerts[alert.fingerprint] ?? HistoryMarks.AlertMarks()
                let after = HistoryMarks.AlertMarks(inhibitedBy: inhibited[index], silencedBy: silenced[index])
                guard before != after else { continue }
                func event(_ kind: HistoryEvent.Kind, _ detail: String = "") {
                    events.append(
                        HistoryEvent(
                            time: now, kind: kind, labels: alert.labels, fingerprints: [alert.fingerprint],
                            receiver: group.route.receiver, groupKey: group.groupKey, detail: detail))
                }
                if let source = after.inhibitedBy, source != before.inhibitedBy {
                    event(.inhibited, "by \(source)")
                } else if after.inhibitedBy == nil, before.inhibitedBy != nil {
                    event(.uninhibited)
                }
                if !after.silencedBy.isEmpty, after.silencedBy != before.silencedBy {
                    event(.silenced, after.silencedBy.joined(separator: ","))
                } else if after.silencedBy.isEmpty, !before.silencedBy.isEmpty {
                    event(.unsilenced)
                }
                marks.alerts[alert.fingerprint] = after.inhibitedBy == nil && after.silencedBy.isEmpty ? nil : after
            }
            let wasMuted = marks.mutedGroups.contains(group.groupKey)
            if let suppression, !wasMuted {
                marks.mutedGroups.insert(group.groupKey)
                let detail =
                    switch suppression {
                    case .outsideActiveTimeIntervals(let names):
                        "outside active_time_intervals " + names.joined(separator: ",")
                    case .muteTimeInterval(let name): "mute_time_interval " + name
                    }
                events.append(
                    HistoryEvent(
                        time: now, kind: .muted, labels: LabelSet.common(flushed.map(\.labels)),
                        fingerprints: flushed.map(\.fingerprint), receiver: group.route.receiver,
                        groupKey: group.groupKey, detail: detail))
            } else if suppression == nil, wasMuted {
                marks.mutedGroups.remove(group.groupKey)
            }
        }
        historyRecorder.record(contentsOf: events)
    }

    /// An alert posted firing again after it expired at a flush may expire again.
    func forgetExpiry(_ fingerprint: Fingerprint) {
        _ = historyMarks.withLock { $0.expired.remove(fingerprint) }
    }

    /// One notification attempt of one integration.
    func recordAttempt(
        _ notification: GroupNotification, integration: String, index: Int, attempt: Int,
        outcome: HistoryEvent.Outcome, status: String, latency: Double?, detail: String = ""
    ) {
        guard historyRecorder.isEnabled else { return }
        historyRecorder.record(
            HistoryEvent(
                time: clock.now, kind: .notification, labels: notification.commonLabels,
                fingerprints: notification.alerts.map(\.fingerprint), receiver: notification.receiver,
                integration: "\(integration)[\(index)]", groupKey: notification.groupKey, outcome: outcome,
                status: status, attempt: attempt, latency: latency, detail: detail))
    }

    /// A reload that was rejected: the old configuration stays in force. (An applied one is recorded by `apply`.)
    public func recordRejectedReload(_ message: String) {
        historyRecorder.record(
            HistoryEvent(time: clock.now, kind: .reload, status: "rejected", detail: message))
    }

    /// A silence created, updated or expired.
    func recordSilence(_ change: String, _ silence: Silence, now: Date) {
        historyRecorder.record(
            HistoryEvent(
                time: now, kind: .silence,
                detail: "\(change) \(silence.id) \(Matchers(silence.matchers)) until \(silence.endsAt)"))
    }

    /// The timeline, oldest first (empty without a history store).
    public func history(_ query: HistoryQuery) throws -> [HistoryEvent] {
        try historyStore?.history(query) ?? []
    }

    /// Drops events past `--history.retention` and beyond the size cap, and forgets marks of deleted alerts.
    func pruneHistory(now: Date) throws {
        guard let historyStore else { return }
        try historyStore.pruneHistory(
            olderThan: now.addingTimeInterval(-options.historyRetention.seconds), maxEvents: options.historyMaxEvents)
    }

    /// Forgets the marks of alerts that left the store.
    func forgetHistoryMarks(_ removed: [Alert]) {
        guard historyRecorder.isEnabled, !removed.isEmpty else { return }
        historyMarks.withLock { marks in
            for alert in removed {
                marks.alerts[alert.fingerprint] = nil
                marks.expired.remove(alert.fingerprint)
            }
        }
    }
}
