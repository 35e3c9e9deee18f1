import Foundation

/// Alertmanager's dedup stage decision (`needsUpdate`): whether a group's current alerts must be notified
/// to one receiver integration, given the last notification-log entry.
public enum DedupDecision {
    /// Why a notification is sent (the `notification_reason` strings of newer Alertmanager versions).
    public enum Reason: String, Hashable, Sendable, CustomStringConvertible {
        /// Nothing was notified before (or only resolved alerts were).
        case firstNotification = "first notification"
        /// Some firing alert was not firing in the last notification.
        case newAlertsAdded = "new alerts added"
        /// Every alert resolved since the last notification, which had firing alerts.
        case allAlertsResolved = "all alerts resolved"
        /// `send_resolved` is on and some alert resolved since the last notification.
        case someAlertsResolved = "some alerts resolved"
        /// Nothing changed but the repeat interval elapsed.
        case repeatIntervalElapsed = "repeat interval elapsed"

        /// The reason string.
        public var description: String { rawValue }
    }

    /// The reason to send, or nil when nothing must be sent.
    ///
    /// 1. no entry: send when something fires (`first notification`);
    /// 2. a firing alert not in the entry's firing set: send (`new alerts added`, or `first notification` when
    ///    the entry had no firing alerts);
    /// 3. nothing fires: send when the entry had firing alerts (`all alerts resolved`), whatever `sendResolved`;
    /// 4. `sendResolved` and a resolved alert not in the entry's resolved set: send (`some alerts resolved`);
    /// 5. the entry is older than `now - repeatInterval`: send (`repeat interval elapsed`).
    public static func needsUpdate(
        entry: NotificationLogEntry?,
        firing: Set<UInt64>,
        resolved: Set<UInt64>,
        sendResolved: Bool,
        repeatInterval: PromDuration,
        now: Date
    ) -> Reason? {
        guard let entry else { return firing.isEmpty ? nil : .firstNotification }
        if !entry.isFiringSubset(firing) {
            return entry.firingAlerts.isEmpty ? .firstNotification : .newAlertsAdded
        }
        if firing.isEmpty {
            return entry.firingAlerts.isEmpty ? nil : .allAlertsResolved
        }
        if sendResolved, !entry.isResolvedSubset(resolved) {
            return .someAlertsResolved
        }
        if entry.timestamp < now.addingTimeInterval(-repeatInterval.seconds) {
            return .repeatIntervalElapsed
        }
        return nil
    }

    /// The notification-log hashes of `alerts`, split by their status at `now`.
    public static func hashes(
        of alerts: some Sequence<Alert>,
        now: Date
    ) -> (firing: Set<UInt64>, resolved: Set<UInt64>) {
        var firing: Set<UInt64> = []
        var resolved: Set<UInt64> = []
        for alert in alerts {
            if alert.isResolved(at: now) {
                resolved.insert(alert.labels.notificationLogHash)
            } else {
                firing.insert(alert.labels.notificationLogHash)
            }
        }
        return (firing, resolved)
    }
}
